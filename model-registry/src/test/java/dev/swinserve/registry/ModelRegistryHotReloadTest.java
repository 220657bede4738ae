package dev.swinserve.registry;

import static dev.swinserve.registry.RegistryFixture.resolve;
import static dev.swinserve.registry.RegistryFixture.states;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** New versions, removed versions and failures while the registry serves. */
@Timeout(30)
class ModelRegistryHotReloadTest extends RegistryTestBase {

  private static final VersionSelector DEFAULT = VersionSelector.defaultVersion();

  @BeforeEach
  void setUp() {
    repository.addVersion("m", 1);
  }

  @Test
  void theNewVersionTakesOverOnlyOnceItIsAvailable() throws Exception {
    ModelRegistry<FakeServable> registry = fixture.start();
    Gate load = fixture.loader.holdLoad("m", 2);
    repository.addVersion("m", 2);

    CompletableFuture<Void> reloading = CompletableFuture.runAsync(registry::reload);
    assertThat(load.awaitEntered()).isTrue();

    assertThat(states(registry.status("m")))
        .isEqualTo(Map.of(1L, VersionState.AVAILABLE, 2L, VersionState.LOADING));
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(1);
    load.open();
    reloading.get(10, TimeUnit.SECONDS);

    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(2);
    assertThat(fixture.listener.await("m@1 UNLOADED")).isTrue();
    assertThat(fixture.loader.servable("m", 1).closes()).isEqualTo(1);
    // Unloaded but still on disk: listed until the directory goes.
    assertThat(states(registry.status("m")))
        .isEqualTo(Map.of(1L, VersionState.UNLOADED, 2L, VersionState.AVAILABLE));
    repository.removeVersion("m", 1);
    assertThat(states(registry.reload().get(0))).isEqualTo(Map.of(2L, VersionState.AVAILABLE));
  }

  @Test
  void theOldVersionClosesOnlyAfterItsLastHandleIsClosed() throws Exception {
    ModelRegistry<FakeServable> registry = fixture.start();
    FakeServable old = fixture.loader.servable("m", 1);
    ModelHandle<FakeServable> inFlight = registry.acquire("m", DEFAULT);
    repository.addVersion("m", 2);

    registry.reload();

    assertThat(states(registry.status("m")))
        .isEqualTo(Map.of(1L, VersionState.UNLOADING, 2L, VersionState.AVAILABLE));
    assertThat(old.closes()).as("closed while a handle is open").isZero();
    assertThat(inFlight.servable()).isSameAs(old);
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.version(1)))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("model 'm' version 1 is UNLOADING (retired)");

    inFlight.close();

    assertThat(old.awaitClosed()).isTrue();
    assertThat(fixture.listener.await("m@1 UNLOADED")).isTrue();
    assertThat(old.closes()).isEqualTo(1);
  }

  @Test
  void aFailedNewVersionLeavesTheOldOneServing() {
    ModelRegistry<FakeServable> registry = fixture.start();
    fixture.loader.failLoad("m", 2, "bad checkpoint");
    repository.addVersion("m", 2);

    registry.reload();

    assertThat(states(registry.status("m")))
        .isEqualTo(Map.of(1L, VersionState.AVAILABLE, 2L, VersionState.FAILED));
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(1);
    assertThat(fixture.loader.servable("m", 1).isClosed()).isFalse();
  }

  @Test
  void aFailedVersionIsRetriedOnlyWhenItsDirectoryChanges() {
    ModelRegistry<FakeServable> registry = fixture.start();
    fixture.loader.failLoad("m", 2, "incomplete");
    repository.addVersion("m", 2);
    registry.reload();

    registry.reload();
    assertThat(fixture.loader.loadsOf("m", 2)).as("retried although unchanged").isEqualTo(1);

    fixture.loader.heal("m", 2);
    repository.replaceVersion("m", 2);
    registry.reload();

    assertThat(fixture.loader.loadsOf("m", 2)).isEqualTo(2);
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(2);
  }

  @Test
  void aFailedVersionIsRetriedWhenItsDirectoryReappears() {
    ModelRegistry<FakeServable> registry = fixture.start();
    fixture.loader.failLoad("m", 2, "incomplete");
    repository.addVersion("m", 2);
    registry.reload();

    repository.removeVersion("m", 2);
    assertThat(states(registry.reload().get(0))).isEqualTo(Map.of(1L, VersionState.AVAILABLE));
    fixture.loader.heal("m", 2);
    repository.addVersion("m", 2);
    registry.reload();

    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(2);
  }

  @Test
  void removingAVersionDirectoryRetiresThatVersion() throws Exception {
    repository.addVersion("m", 2);
    repository.writeConfig("m", "version_policy: all\n");
    ModelRegistry<FakeServable> registry = fixture.start();

    repository.removeVersion("m", 2);
    registry.reload();

    assertThat(fixture.listener.await("m@2 UNLOADED")).isTrue();
    assertThat(fixture.loader.servable("m", 2).closes()).isEqualTo(1);
    assertThat(states(registry.status("m"))).isEqualTo(Map.of(1L, VersionState.AVAILABLE));
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(1);
  }

  @Test
  void aListenerNeverHearsOfAStateTheRegistryDoesNotShowYet() throws Exception {
    repository.writeConfig("m", "version_policy: all\n");
    ModelRegistry<FakeServable> registry = fixture.start();
    List<String> stale = new CopyOnWriteArrayList<>();
    registry.addListener(
        new RegistryListener() {
          @Override
          public void servingChanged(String model, boolean serving) {}

          @Override
          public void versionStateChanged(ModelVersionId version, VersionState state) {
            Map<Long, VersionState> shown =
                registry.list().stream()
                    .filter(model -> model.name().equals(version.name()))
                    .findFirst()
                    .map(RegistryFixture::states)
                    .orElse(Map.of());
            // The registry may have moved on (a later state, or the version forgotten once
            // UNLOADED):
            // only an earlier state is stale.
            VersionState now = shown.get(version.version());
            if (now != null && now.ordinal() < state.ordinal()) {
              stale.add(version + " heard " + state + ", shown " + now);
            }
          }
        });

    // Versions retire on the unloader's thread while this one delivers events.
    for (long version = 2; version <= 21; version++) {
      repository.addVersion("m", version);
      registry.reload();
      repository.removeVersion("m", version);
      registry.reload();
      assertThat(fixture.listener.await("m@" + version + " UNLOADED")).isTrue();
    }

    assertThat(stale).isEmpty();
  }

  @Test
  void removingTheModelDirectoryRemovesTheModel() throws Exception {
    ModelRegistry<FakeServable> registry = fixture.start();

    repository.removeModel("m");
    registry.reload();

    assertThat(fixture.listener.await("m@1 UNLOADED")).isTrue();
    assertThat(registry.list()).isEmpty();
    assertThatThrownBy(() -> registry.acquire("m", DEFAULT))
        .isInstanceOf(ModelNotFoundException.class);
  }

  @Test
  void aVersionRemovedWhileLoadingIsClosedWhenTheLoaderReturns() throws Exception {
    repository.writeConfig("m", "version_policy: all\n");
    ModelRegistry<FakeServable> registry = fixture.start();
    Gate load = fixture.loader.holdLoad("m", 2);
    repository.addVersion("m", 2);
    CompletableFuture<Void> reloading = CompletableFuture.runAsync(registry::reload);
    assertThat(load.awaitEntered()).isTrue();

    repository.removeVersion("m", 2);
    registry.reload();
    load.open();
    reloading.get(10, TimeUnit.SECONDS);

    assertThat(fixture.listener.await("m@2 UNLOADED")).isTrue();
    assertThat(fixture.loader.servable("m", 2).closes()).isEqualTo(1);
    assertThat(states(registry.status("m"))).isEqualTo(Map.of(1L, VersionState.AVAILABLE));
  }

  @Test
  void aNewModelIsPickedUp() {
    ModelRegistry<FakeServable> registry = fixture.start();
    repository.addVersion("fresh", 1);

    registry.reload();

    assertThat(resolve(registry, "fresh", DEFAULT)).isEqualTo(1);
  }

  @Test
  void thePollerPicksUpNewVersionsWithoutReload() throws Exception {
    ModelRegistry<FakeServable> registry =
        fixture.create(fixture.config().withPollInterval(Duration.ofMillis(20)));
    registry.start();

    repository.addVersion("m", 2);

    assertThat(fixture.listener.await("m@2 AVAILABLE")).isTrue();
    assertThat(fixture.listener.await("m@1 UNLOADED")).isTrue();
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(2);
  }
}
