package dev.swinserve.client.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.api.RetryPushback;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StatusPolicyTest {

  @Test
  void onlyServerTroubleCountsAgainstTheBreaker() {
    assertThat(StatusPolicy.isServerUnwell(failure(Status.UNAVAILABLE))).isTrue();
    assertThat(StatusPolicy.isServerUnwell(failure(Status.DEADLINE_EXCEEDED))).isTrue();
    assertThat(StatusPolicy.isServerUnwell(failure(Status.INTERNAL))).isTrue();
    assertThat(StatusPolicy.isServerUnwell(failure(Status.UNKNOWN))).isTrue();
    assertThat(StatusPolicy.isServerUnwell(shed("50"))).isTrue();

    assertThat(StatusPolicy.isServerUnwell(failure(Status.RESOURCE_EXHAUSTED)))
        .as("oversized message")
        .isFalse();
    assertThat(StatusPolicy.isServerUnwell(failure(Status.INVALID_ARGUMENT))).isFalse();
    assertThat(StatusPolicy.isServerUnwell(failure(Status.NOT_FOUND))).isFalse();
    assertThat(StatusPolicy.isServerUnwell(failure(Status.CANCELLED))).isFalse();
    assertThat(StatusPolicy.isServerUnwell(new IllegalStateException())).isFalse();
  }

  @Test
  void onlyTransientFailuresAreRetried() {
    assertThat(StatusPolicy.isRetryable(failure(Status.UNAVAILABLE))).isTrue();
    assertThat(StatusPolicy.isRetryable(shed("50"))).isTrue();

    assertThat(StatusPolicy.isRetryable(shed("-1"))).as("the server said: do not retry").isFalse();
    assertThat(StatusPolicy.isRetryable(failure(Status.RESOURCE_EXHAUSTED))).isFalse();
    assertThat(StatusPolicy.isRetryable(failure(Status.DEADLINE_EXCEEDED))).isFalse();
    assertThat(StatusPolicy.isRetryable(failure(Status.INTERNAL))).isFalse();
    assertThat(StatusPolicy.isRetryable(failure(Status.INVALID_ARGUMENT))).isFalse();
    assertThat(
            StatusPolicy.isRetryable(
                CallNotPermittedException.createCallNotPermittedException(
                    io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("x"))))
        .isFalse();
  }

  @Test
  void pushbackIsReadFromTheTrailer() {
    assertThat(StatusPolicy.pushback(shed("250"))).contains(Duration.ofMillis(250));
    assertThat(StatusPolicy.pushback(shed("soon"))).isEmpty();
    assertThat(StatusPolicy.pushback(failure(Status.UNAVAILABLE))).isEmpty();
  }

  @Test
  void unwrapRemovesFutureWrappers() {
    StatusRuntimeException cause = failure(Status.UNAVAILABLE);

    assertThat(ResilienceFactory.unwrap(new CompletionException(cause))).isSameAs(cause);
  }

  static StatusRuntimeException failure(Status status) {
    return status.asRuntimeException();
  }

  static StatusRuntimeException shed(String pushbackMillis) {
    Metadata trailers = new Metadata();
    trailers.put(RetryPushback.KEY, pushbackMillis);
    return Status.RESOURCE_EXHAUSTED.withDescription("queue full").asRuntimeException(trailers);
  }
}
