package dev.swinserve.server.endtoend;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ListModelsRequest;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.VersionState;
import dev.swinserve.api.v1.VersionStatus;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.Requests;
import dev.swinserve.server.testing.ServerProcess;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions come and go under a steady client load: a new version takes over once warm, a broken one
 * fails on its own while the last good one keeps serving, and no call fails.
 */
class HotReloadEndToEndTest {

  @TempDir Path work;

  @Test
  void newVersionsTakeOverAndBrokenOnesFailWithoutAFailedCall() throws Exception {
    Path repository = work.resolve("models");
    FixtureRepository.add(repository, "mini", 1, MINI);
    try (ServerProcess server =
        ServerProcess.start(repository, work, "registry: {poll_interval_ms: 200}\n")) {
      ManagedChannel channel = server.channel();
      ClassifyRequest request =
          Requests.to("mini")
              .addImages(Requests.pixels(64, FixtureRepository.reference(MINI).image(0)))
              .build();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger calls = new AtomicInteger();
      List<Throwable> failures = new ArrayList<>();
      Set<Long> versionsSeen = ConcurrentHashMap.newKeySet();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        Thread client =
            new Thread(
                () -> {
                  var stub = ClassifierGrpc.newBlockingStub(channel);
                  while (running.get()) {
                    try {
                      versionsSeen.add(
                          stub.withDeadlineAfter(20, TimeUnit.SECONDS)
                              .classify(request)
                              .getModel()
                              .getVersion());
                      calls.incrementAndGet();
                    } catch (RuntimeException e) {
                      synchronized (failures) {
                        failures.add(e);
                      }
                    }
                  }
                });
        client.start();
        clients.add(client);
      }

      awaitCondition(() -> versionsSeen.contains(1L), "version 1 to answer");
      FixtureRepository.add(repository, "mini", 2, MINI);
      awaitCondition(() -> versionsSeen.contains(2L), "version 2 to answer");
      writeBrokenVersion(repository.resolve("mini"), 3);
      var models = ModelServiceGrpc.newBlockingStub(channel);
      awaitCondition(() -> state(models, 3) == VersionState.FAILED, "version 3 to fail");
      int callsAtFailure = calls.get();
      awaitCondition(() -> calls.get() > callsAtFailure + 20, "calls after the failure");
      running.set(false);
      for (Thread client : clients) {
        client.join();
      }

      assertThat(failures).as("failed calls").isEmpty();
      assertThat(state(models, 2)).isEqualTo(VersionState.AVAILABLE);
      assertThat(state(models, 1)).isIn(VersionState.UNLOADED, null);
      assertThat(versionsSeen).containsExactlyInAnyOrder(1L, 2L);
      channel.shutdownNow();
    }
  }

  /** Written beside the model and renamed into place, as the converter does. */
  private static void writeBrokenVersion(Path model, long version) throws Exception {
    Path staging = Files.createDirectories(model.resolve(".staging-broken"));
    Files.writeString(staging.resolve("saved_model.pb"), "this is not a SavedModel");
    Files.move(staging, model.resolve(Long.toString(version)));
  }

  private static VersionState state(
      ModelServiceGrpc.ModelServiceBlockingStub models, long version) {
    return models
        .listModels(ListModelsRequest.getDefaultInstance())
        .getModels(0)
        .getVersionsList()
        .stream()
        .filter(v -> v.getVersion() == version)
        .map(VersionStatus::getState)
        .findFirst()
        .orElse(null);
  }

  private static void awaitCondition(BooleanSupplier condition, String what) {
    await(what)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(condition::getAsBoolean);
  }
}
