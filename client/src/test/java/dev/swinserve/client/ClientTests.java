package dev.swinserve.client;

import com.google.protobuf.ByteString;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.client.resilience.BreakerConfig;
import dev.swinserve.client.resilience.BreakerListener;
import dev.swinserve.client.resilience.RetryConfig;
import dev.swinserve.client.testing.FakeServer;
import dev.swinserve.client.testing.ManualClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared set-up for the resilient client's tests: requests, configs, clients over fake servers. */
final class ClientTests {

  static final Duration DEADLINE = Duration.ofSeconds(10);

  /** One attempt: no retry. */
  static final RetryConfig SINGLE_ATTEMPT =
      new RetryConfig(1, Duration.ofMillis(1), 2, Duration.ofMillis(5), 0, 0.1, 10);

  private ClientTests() {}

  /**
   * A breaker over the last {@code calls} calls (all of them needed before it judges) that opens at
   * 50 % failures or at {@code slowRatePercent} of calls slower than 5 s, waits 10 s, then lets 2
   * probes through.
   */
  static BreakerConfig countBreaker(int calls, float slowRatePercent) {
    return new BreakerConfig(
        BreakerConfig.WindowType.COUNT,
        calls,
        calls,
        50,
        Duration.ofSeconds(5),
        slowRatePercent,
        Duration.ofSeconds(10),
        2);
  }

  static ClassifyRequest request(String id) {
    return ClassifyRequest.newBuilder()
        .setRequestId(id)
        .setModel(ModelSpec.newBuilder().setName("tiny"))
        .addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(new byte[7])))
        .build();
  }

  /** Defaults, with waits short enough for tests: 1 ms backoff, no jitter. */
  static ClientConfig config() {
    return ClientConfig.defaults("in-process")
        .withRetry(new RetryConfig(3, Duration.ofMillis(1), 2, Duration.ofMillis(5), 0, 0.1, 10));
  }

  /** A client over one channel to each server, in order, named {@code server-<index>}. */
  static SwinserveClient client(
      ClientConfig config, ManualClock clock, BreakerListener listener, FakeServer... servers) {
    Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    for (int i = 0; i < servers.length; i++) {
      channels.put("server-" + i, servers[i].channel());
    }
    return new SwinserveClient(config, channels, clock, () -> 0.5, listener);
  }

  /** Records breaker transitions as {@code endpoint: FROM -> TO}. */
  static final class Transitions implements BreakerListener {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onStateChange(String endpoint, CircuitBreaker.State from, CircuitBreaker.State to) {
      seen.add(endpoint + ": " + from + " -> " + to);
    }
  }
}
