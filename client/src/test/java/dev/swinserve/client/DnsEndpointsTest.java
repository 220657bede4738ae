package dev.swinserve.client;

import static dev.swinserve.client.ClientTests.DEADLINE;
import static dev.swinserve.client.ClientTests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.client.resilience.BreakerListener;
import dev.swinserve.client.resilience.BreakerSnapshot;
import dev.swinserve.client.testing.FakeServer;
import dev.swinserve.client.testing.ManualClock;
import dev.swinserve.client.testing.ManualScheduler;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A DNS name target through the whole client: a fake resolver answers, in-process servers stand for
 * the addresses, and a manual scheduler decides when the name is resolved again.
 */
class DnsEndpointsTest {

  private static final String TARGET = "dns:///swinserve-headless:8500";
  private static final Duration REFRESH = Duration.ofSeconds(30);

  private final FakeServer first = new FakeServer();
  private final FakeServer second = new FakeServer();
  private final FakeServer third = new FakeServer();

  /** Stands for whatever gRPC's own resolution of the name would reach. */
  private final FakeServer byName = new FakeServer();

  private final Map<String, FakeServer> servers =
      Map.of(
          "10.0.0.1:8500", first, "10.0.0.2:8500", second, "10.0.0.3:8500", third, TARGET, byName);
  private final List<String> opened = new CopyOnWriteArrayList<>();
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  private final FakeResolver resolver = new FakeResolver();
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private SwinserveClient client;

  @AfterEach
  void stop() {
    List.of(first, second, third, byName).forEach(FakeServer::close);
    if (client != null) {
      client.close();
    }
  }

  private SwinserveClient connect() {
    ClientConfig config =
        ClientConfig.defaults(TARGET)
            .withRetry(ClientTests.config().retry())
            .withDnsRefresh(REFRESH);
    client =
        new SwinserveClient(
            config,
            resolver,
            target -> {
              opened.add(target);
              ManagedChannel channel = servers.get(target).channel();
              channels.add(channel);
              return channel;
            },
            scheduler,
            clock,
            () -> 0.5,
            BreakerListener.NONE);
    return client;
  }

  private List<String> endpoints() {
    return client.breakers().stream().map(BreakerSnapshot::endpoint).toList();
  }

  private void classify(int calls) {
    IntStream.range(0, calls).forEach(i -> client.classify(request("r" + i), DEADLINE));
  }

  @Test
  void aNameWithSeveralAddressesGetsAnEndpointPerAddressUsedRoundRobin() {
    resolver.answer("swinserve-headless", "10.0.0.1", "10.0.0.2");

    connect();
    classify(6);

    assertThat(endpoints())
        .containsExactly("swinserve-headless/10.0.0.1:8500", "swinserve-headless/10.0.0.2:8500");
    assertThat(opened).containsExactly("10.0.0.1:8500", "10.0.0.2:8500");
    assertThat(first.classifier().unaryRequests()).hasSize(3);
    assertThat(second.classifier().unaryRequests()).hasSize(3);
  }

  @Test
  void refreshesAddNewAddressesRetireVanishedOnesAndKeepTheBreakersOfTheRest() {
    resolver.answer("swinserve-headless", "10.0.0.1", "10.0.0.2");
    connect();
    classify(4);
    resolver.answer("swinserve-headless", "10.0.0.3", "10.0.0.2");

    scheduler.advance(REFRESH.minusMillis(1));
    assertThat(endpoints())
        .as("before the refresh is due")
        .hasSize(2)
        .contains("swinserve-headless/10.0.0.1:8500");

    scheduler.advance(Duration.ofMillis(1));
    assertThat(endpoints())
        .containsExactly("swinserve-headless/10.0.0.2:8500", "swinserve-headless/10.0.0.3:8500");
    assertThat(client.breakers().get(0).bufferedCalls())
        .as("the kept endpoint's breaker remembers its calls")
        .isEqualTo(2);
    assertThat(client.breakers().get(1).bufferedCalls()).isZero();
    assertThat(channels.get(0).isShutdown()).as("the vanished address's channel").isTrue();
    assertThat(channels.get(1).isShutdown()).isFalse();

    classify(4);
    assertThat(first.classifier().unaryRequests()).hasSize(2);
    assertThat(second.classifier().unaryRequests()).hasSize(4);
    assertThat(third.classifier().unaryRequests()).hasSize(2);
    assertThat(resolver.asked()).hasSize(2);
  }

  @Test
  void aCallInFlightOnAVanishedAddressRunsToItsEnd() throws Exception {
    resolver.answer("swinserve-headless", "10.0.0.1", "10.0.0.2");
    connect();
    first.classifier().delayUnaryAnswers(Duration.ofMillis(200));
    CompletableFuture<ClassifyResponse> inFlight = client.classifyAsync(request("in-flight"));
    awaitRequests(first, 1);

    resolver.answer("swinserve-headless", "10.0.0.2", "10.0.0.3");
    scheduler.advance(REFRESH);

    assertThat(endpoints()).doesNotContain("swinserve-headless/10.0.0.1:8500");
    assertThat(inFlight.get(10, TimeUnit.SECONDS).getRequestId()).isEqualTo("in-flight");
    assertThat(channels.get(0).awaitTermination(10, TimeUnit.SECONDS))
        .as("terminated once its call ended")
        .isTrue();
  }

  @Test
  void aNameThatDoesNotResolveYetIsOneChannelToTheNameUntilItDoes() {
    connect();

    assertThat(endpoints()).as("construction does not fail").containsExactly(TARGET);
    classify(2);
    assertThat(byName.classifier().unaryRequests()).hasSize(2);

    scheduler.advance(REFRESH);
    assertThat(endpoints()).as("still no answer").containsExactly(TARGET);

    resolver.answer("swinserve-headless", "10.0.0.1", "10.0.0.2");
    scheduler.advance(REFRESH);
    assertThat(endpoints())
        .containsExactly("swinserve-headless/10.0.0.1:8500", "swinserve-headless/10.0.0.2:8500");
    assertThat(channels.get(0).isShutdown()).as("the channel to the name").isTrue();
    assertThat(resolver.asked()).hasSize(3);
  }

  @Test
  void aFailedRefreshKeepsTheEndpointsAndTheNextOneTriesAgain() {
    resolver.answer("swinserve-headless", "10.0.0.1", "10.0.0.2");
    connect();

    resolver.answer("swinserve-headless");
    scheduler.advance(REFRESH);
    assertThat(endpoints())
        .containsExactly("swinserve-headless/10.0.0.1:8500", "swinserve-headless/10.0.0.2:8500");

    resolver.answer("swinserve-headless", "10.0.0.2", "10.0.0.3");
    scheduler.advance(REFRESH);
    assertThat(endpoints())
        .containsExactly("swinserve-headless/10.0.0.2:8500", "swinserve-headless/10.0.0.3:8500");
  }

  @Test
  void aNameWithOneAddressIsOneChannelToTheNameAsForAnyTarget() {
    resolver.answer("swinserve-headless", "10.0.0.1");

    connect();
    classify(2);

    assertThat(endpoints()).containsExactly(TARGET);
    assertThat(opened).containsExactly(TARGET);
    assertThat(byName.classifier().unaryRequests()).hasSize(2);
  }

  @Test
  void closingStopsTheRefreshes() {
    resolver.answer("swinserve-headless", "10.0.0.1", "10.0.0.2");
    connect();

    client.close();
    scheduler.advance(REFRESH.multipliedBy(3));

    assertThat(resolver.asked()).hasSize(1);
    assertThat(channels).allSatisfy(channel -> assertThat(channel.isShutdown()).isTrue());
  }

  private static void awaitRequests(FakeServer server, int count) {
    await(count + " requests")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> server.classifier().unaryRequests().size() >= count);
  }
}
