package dev.swinserve.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests racing version swaps. Both models always have a version available: "swap" (latest 1)
 * moves to each new version and deletes the old one only afterwards; "all" keeps version 1 while
 * other versions come and go. So no acquire may fail, no handle may see a closed servable, and at
 * the end every servable must have been closed exactly once.
 */
@Timeout(60)
class ModelRegistryConcurrencyTest extends RegistryTestBase {

  private static final int REQUEST_THREADS = 6;
  private static final int ROUNDS = 30;

  @BeforeEach
  void setUp() {
    repository.addVersion("swap", 1);
    repository.addVersion("all", 1);
    repository.writeConfig("all", "version_policy: all\n");
  }

  @Test
  void requestsNeverFailOrSeeAClosedServableWhileVersionsSwap() throws Exception {
    ModelRegistry<FakeServable> registry = fixture.start();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong acquired = new AtomicLong();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    CountDownLatch running = new CountDownLatch(REQUEST_THREADS);
    ExecutorService requests = Executors.newFixedThreadPool(REQUEST_THREADS);
    List<Future<?>> workers = new ArrayList<>();
    for (int thread = 0; thread < REQUEST_THREADS; thread++) {
      String model = thread % 2 == 0 ? "swap" : "all";
      workers.add(
          requests.submit(
              () -> {
                running.countDown();
                while (!stop.get()) {
                  try (ModelHandle<FakeServable> handle =
                      registry.acquire(model, VersionSelector.defaultVersion())) {
                    if (handle.servable().isClosed()) {
                      problems.add("used after close: " + handle.id());
                    }
                    acquired.incrementAndGet();
                  } catch (RegistryException e) {
                    problems.add(e.getMessage());
                  }
                }
              }));
    }
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    for (long version = 2; version <= ROUNDS; version++) {
      repository.addVersion("swap", version);
      repository.addVersion("all", version);
      registry.reload();
      repository.removeVersion("swap", version - 1);
      repository.removeVersion("all", version);
      registry.reload();
    }
    stop.set(true);
    for (Future<?> worker : workers) {
      worker.get(10, TimeUnit.SECONDS);
    }
    requests.shutdown();
    registry.close();

    assertThat(problems).isEmpty();
    assertThat(acquired.get()).isPositive();
    assertThat(fixture.loader.servables()).hasSize(2 * ROUNDS);
    assertThat(fixture.loader.servables())
        .allSatisfy(
            servable -> assertThat(servable.closes()).as("closes of %s", servable).isEqualTo(1));
  }
}
