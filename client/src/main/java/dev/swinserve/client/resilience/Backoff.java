package dev.swinserve.client.resilience;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The wait before a retry: the server's pushback when it sent one (it knows its queue better than
 * we do), else exponential backoff with jitter. {@code random} yields values in [0, 1); tests pass
 * a fixed one.
 */
final class Backoff implements IntervalBiFunction<Object> {

  private final RetryConfig config;
  private final DoubleSupplier random;

  Backoff(RetryConfig config, DoubleSupplier random) {
    this.config = config;
    this.random = random;
  }

  /**
   * The wait in milliseconds before attempt {@code attempt + 1}, after {@code attempt} failures.
   */
  @Override
  public Long apply(Integer attempt, Either<Throwable, Object> outcome) {
    Optional<Duration> pushback =
        outcome.isLeft()
            ? StatusPolicy.pushback(ResilienceFactory.unwrap(outcome.getLeft()))
            : Optional.empty();
    if (pushback.isPresent() && !pushback.get().isNegative()) {
      return pushback.get().toMillis();
    }
    double backoff =
        Math.min(
            config.maxBackoff().toMillis(),
            config.initialBackoff().toMillis() * Math.pow(config.multiplier(), attempt - 1));
    double jittered = backoff * (1 - config.jitter() + 2 * config.jitter() * random.getAsDouble());
    return Math.max(1, Math.round(jittered));
  }
}
