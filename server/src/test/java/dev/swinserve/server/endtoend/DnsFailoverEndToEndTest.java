package dev.swinserve.server.endtoend;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.GetMetricsRequest;
import dev.swinserve.api.v1.MetricsServiceGrpc;
import dev.swinserve.client.ClientConfig;
import dev.swinserve.client.SwinserveClient;
import dev.swinserve.client.resilience.BreakerListener;
import dev.swinserve.client.resilience.BreakerSnapshot;
import dev.swinserve.client.resilience.RetryConfig;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.Requests;
import dev.swinserve.server.testing.ServerProcess;
import io.grpc.ManagedChannel;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real servers behind one DNS name, as pods behind a Kubernetes headless service, and one
 * {@link SwinserveClient}; one server is killed (SIGKILL) under load. The servers share a port on
 * two loopback addresses, and the name resolves to both from the hosts file this class's JVM reads
 * ({@code -Djdk.net.hosts.file}, its own surefire execution in server/pom.xml; run it alone with
 * {@code mvn -pl server surefire:test@dns-failover} after {@code test-compile}).
 *
 * <p>127.0.0.1 is the survivor in both tests; each test starts its own victim, on an address of its
 * own (a fresh bind, not a rebind of a killed server's address), behind a name of its own.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DnsFailoverEndToEndTest {

  private static final int CALLERS = 8;
  private static final Duration LOAD_BEFORE_KILL = Duration.ofMillis(1500);
  private static final Duration LOAD_AFTER_KILL = Duration.ofSeconds(2);

  /** How long after the victim's exit the client may still send to its closed connections. */
  private static final Duration NOTICE = Duration.ofMillis(100);

  /** Retries off: calls started this long after the kill must all succeed. */
  private static final Duration SETTLE = Duration.ofMillis(500);

  @TempDir static Path work;
  private static Path repository;
  private static ServerProcess survivor;
  private static ClassifyRequest request;
  private ServerProcess victim;
  private SwinserveClient client;

  @BeforeAll
  static void startTheSurvivor() throws Exception {
    assertThat(System.getProperty("jdk.net.hosts.file"))
        .as("runs in its own JVM with the hosts file: mvn -pl server surefire:test@dns-failover")
        .isNotNull();
    assertThat(InetAddress.getAllByName("swinserve-headless-a"))
        .as("names from dns-failover.hosts")
        .extracting(InetAddress::getHostAddress)
        .containsExactly("127.0.0.1", "127.0.0.2");
    repository = work.resolve("models");
    FixtureRepository.add(repository, "mini", 1, MINI);
    survivor = ServerProcess.start(repository, work.resolve("survivor"), null, "127.0.0.1", 0);
    request =
        Requests.to("mini")
            .addImages(Requests.pixels(64, FixtureRepository.reference(MINI).image(0)))
            .build();
  }

  @AfterAll
  static void stopTheSurvivor() throws InterruptedException {
    if (survivor != null) {
      survivor.kill();
    }
  }

  @AfterEach
  void stopTheVictimAndTheClient() throws InterruptedException {
    try {
      if (client != null) {
        client.close();
      }
    } finally {
      if (victim != null) {
        victim.kill();
      }
    }
  }

  @Test
  void withRetriesNoCallerSeesTheKill() throws Exception {
    victim =
        ServerProcess.start(
            repository, work.resolve("victim-a"), null, "127.0.0.2", survivor.port());
    client =
        SwinserveClient.connect(
            ClientConfig.defaults("dns:///swinserve-headless-a:" + survivor.port())
                .withDefaultDeadline(Duration.ofSeconds(5)),
            BreakerListener.NONE);
    assertOneEndpointPerAddress("swinserve-headless-a", "127.0.0.1", "127.0.0.2");

    Kill kill;
    try (Callers callers = new Callers(client, request, CALLERS)) {
      kill = loadKillAndLoad(callers);
    }

    assertThat(kill.failures)
        .as("failed calls, retries on (%d in flight at the kill)", kill.inFlightAtKill)
        .isEmpty();
    assertThat(kill.survivorAnsweredAfter)
        .as("calls the survivor answered after the kill")
        .isPositive();
  }

  @Test
  void withoutRetriesOnlyCallsInFlightAtTheKillFail() throws Exception {
    victim =
        ServerProcess.start(
            repository, work.resolve("victim-b"), null, "127.0.0.3", survivor.port());
    client =
        SwinserveClient.connect(
            ClientConfig.defaults("dns:///swinserve-headless-b:" + survivor.port())
                .withDefaultDeadline(Duration.ofSeconds(5))
                .withRetry(
                    new RetryConfig(
                        1, Duration.ofMillis(100), 2, Duration.ofSeconds(2), 0.5, 0.1, 10)),
            BreakerListener.NONE);
    assertOneEndpointPerAddress("swinserve-headless-b", "127.0.0.1", "127.0.0.3");

    Kill kill;
    try (Callers callers = new Callers(client, request, CALLERS)) {
      kill = loadKillAndLoad(callers);
    }

    assertThat(kill.failures.size())
        .as("failed calls, retries off: %s", kill.failures)
        .isLessThanOrEqualTo(kill.inFlightAtKill);
    assertThat(kill.failures)
        .as("calls started %d ms or more after the kill that failed", SETTLE.toMillis())
        .allSatisfy(
            failure -> assertThat(failure.startNanos).isLessThan(kill.nanos + SETTLE.toNanos()));
    assertThat(kill.survivorAnsweredAfter)
        .as("calls the survivor answered after the kill")
        .isPositive();
  }

  private void assertOneEndpointPerAddress(String name, String... addresses) {
    assertThat(client.breakers())
        .extracting(BreakerSnapshot::endpoint)
        .containsExactly(
            List.of(addresses).stream()
                .map(address -> name + "/" + address + ":" + survivor.port())
                .toArray(String[]::new));
  }

  /**
   * Load until both servers have answered, and {@link #LOAD_BEFORE_KILL} more; then SIGKILL the
   * victim and load {@link #LOAD_AFTER_KILL} more. What happened around the kill.
   */
  private Kill loadKillAndLoad(Callers callers) throws InterruptedException {
    // A cold client and server take a while over their first calls: time the load from when both
    // answer.
    awaitAnswers(survivor, "the survivor");
    awaitAnswers(victim, "the victim");
    Thread.sleep(LOAD_BEFORE_KILL.toMillis());
    long survivorAtKill = answered(survivor);
    long startedAtKill = callers.started.get();
    int inFlightAtKill = callers.inFlight.get();
    long killedAt = System.nanoTime();
    victim.kill();
    // The process takes a moment to die, its connections open meanwhile, and the client learns of
    // the closed connections a moment later still: calls sent until then are in flight at the kill
    // too.
    Thread.sleep(NOTICE.toMillis());
    int inFlightUntilGone = inFlightAtKill + (int) (callers.started.get() - startedAtKill);
    Thread.sleep(LOAD_AFTER_KILL.toMillis());
    callers.stop();
    return new Kill(
        killedAt,
        inFlightUntilGone,
        List.copyOf(callers.failures),
        answered(survivor) - survivorAtKill);
  }

  private static void awaitAnswers(ServerProcess server, String which) {
    await(which + " to answer a call")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> answered(server) > 0);
  }

  /** Classify calls a server answered OK so far, from its own metrics. */
  private static long answered(ServerProcess server) {
    ManagedChannel channel = server.channel();
    try {
      return MetricsServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .getMetrics(GetMetricsRequest.getDefaultInstance())
          .getDistributionsList()
          .stream()
          .filter(series -> series.getName().equals("request_latency"))
          .filter(series -> "Classify".equals(series.getLabelsMap().get("method")))
          .filter(series -> "OK".equals(series.getLabelsMap().get("status")))
          .mapToLong(series -> series.getCount())
          .sum();
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * @param inFlightAtKill calls in flight from SIGKILL until the process was gone and {@link
   *     #NOTICE} more
   */
  private record Kill(
      long nanos, int inFlightAtKill, List<Failure> failures, long survivorAnsweredAfter) {}

  private record Failure(long startNanos, RuntimeException error) {}

  /**
   * Closed-loop callers: each sends its next call as soon as the last one has ended, until stopped.
   */
  private static final class Callers implements AutoCloseable {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicLong started = new AtomicLong();
    final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final ExecutorService threads;
    private volatile boolean running = true;

    Callers(SwinserveClient client, ClassifyRequest request, int count) {
      threads =
          Executors.newFixedThreadPool(
              count,
              runnable -> {
                Thread thread = new Thread(runnable, "failover-caller");
                thread.setDaemon(true);
                return thread;
              });
      for (int i = 0; i < count; i++) {
        threads.execute(
            () -> {
              while (running) {
                long start = System.nanoTime();
                started.incrementAndGet();
                inFlight.incrementAndGet();
                try {
                  client.classify(request);
                } catch (RuntimeException e) {
                  failures.add(new Failure(start, e));
                } finally {
                  inFlight.decrementAndGet();
                }
              }
            });
      }
    }

    /** Lets every caller finish its call in progress. */
    void stop() throws InterruptedException {
      running = false;
      threads.shutdown();
      assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).as("callers done").isTrue();
    }

    @Override
    public void close() {
      running = false;
      threads.shutdownNow();
    }
  }
}
