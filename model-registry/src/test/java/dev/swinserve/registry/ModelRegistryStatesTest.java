package dev.swinserve.registry;

import static dev.swinserve.registry.RegistryFixture.states;
import static dev.swinserve.registry.RegistryFixture.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** LOADING, WARMING, AVAILABLE and FAILED, as a caller sees them. */
@Timeout(30)
class ModelRegistryStatesTest extends RegistryTestBase {

  @BeforeEach
  void setUp() {
    repository.addVersion("m", 1);
  }

  @Test
  void showsLoadingWhileTheLoaderRunsAndStartWaitsForIt() throws Exception {
    Gate load = fixture.loader.holdLoad("m", 1);
    ModelRegistry<FakeServable> registry = fixture.create();

    CompletableFuture<Void> starting = RegistryFixture.startInBackground(registry);
    assertThat(load.awaitEntered()).isTrue();

    assertThat(states(registry.status("m"))).isEqualTo(Map.of(1L, VersionState.LOADING));
    assertThat(registry.status("m").serving()).isFalse();
    assertThat(starting).isNotDone();
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.version(1)))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("model 'm' version 1 is LOADING");
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.defaultVersion()))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("model 'm' has no available version (versions: 1 LOADING)");

    load.open();
    starting.get(10, TimeUnit.SECONDS);
    assertThat(states(registry.status("m"))).isEqualTo(Map.of(1L, VersionState.AVAILABLE));
  }

  @Test
  void showsWarmingWhileWarmUpRuns() throws Exception {
    Gate warmUp = fixture.loader.holdWarmUp("m", 1);
    ModelRegistry<FakeServable> registry = fixture.create();

    CompletableFuture<Void> starting = RegistryFixture.startInBackground(registry);
    assertThat(warmUp.awaitEntered()).isTrue();

    assertThat(states(registry.status("m"))).isEqualTo(Map.of(1L, VersionState.WARMING));
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.version(1)))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("model 'm' version 1 is WARMING");

    warmUp.open();
    starting.get(10, TimeUnit.SECONDS);
    assertThat(registry.status("m").serving()).isTrue();
    assertThat(fixture.listener.events())
        .containsSubsequence("m@1 LOADING", "m@1 WARMING", "m@1 AVAILABLE", "m serving");
  }

  @Test
  void availableAfterStartWithTheServableWarmedUpOnce() {
    ModelRegistry<FakeServable> registry = fixture.start();

    ModelStatus status = registry.status("m");
    assertThat(version(status, 1))
        .isEqualTo(
            new VersionStatus(1, VersionState.AVAILABLE, Optional.empty(), java.util.List.of()));
    assertThat(status.serving()).isTrue();
    assertThat(status.defaultVersion()).hasValue(1);
    assertThat(fixture.loader.servable("m", 1).warmUps()).isEqualTo(1);
  }

  @Test
  void failedLoadKeepsTheReasonAndStartStillReturns() {
    fixture.loader.failLoad("m", 1, "saved_model.pb is truncated");

    ModelRegistry<FakeServable> registry = fixture.start();

    VersionStatus failed = version(registry.status("m"), 1);
    assertThat(failed.state()).isEqualTo(VersionState.FAILED);
    assertThat(failed.error()).hasValue("saved_model.pb is truncated");
    assertThat(registry.status("m").serving()).isFalse();
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.version(1)))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("model 'm' version 1 FAILED: saved_model.pb is truncated");
  }

  @Test
  void failedWarmUpClosesTheServable() {
    fixture.loader.failWarmUp("m", 1, "warm-up batch of 8 ran out of memory");

    ModelRegistry<FakeServable> registry = fixture.start();

    VersionStatus failed = version(registry.status("m"), 1);
    assertThat(failed.state()).isEqualTo(VersionState.FAILED);
    assertThat(failed.error()).hasValue("warm-up batch of 8 ran out of memory");
    assertThat(fixture.loader.servable("m", 1).closes()).isEqualTo(1);
  }

  @Test
  void aLoaderThatReturnsNothingFailsTheVersion() {
    ModelLoader<FakeServable> nothing = (id, directory, config) -> null;
    ModelRegistry<FakeServable> registry =
        new ModelRegistry<>(fixture.config(), nothing, fixture.clock);
    try {
      registry.start();

      assertThat(version(registry.status("m"), 1).error())
          .hasValue("the loader returned no servable");
    } finally {
      registry.close();
    }
  }

  @Test
  void oneFailedModelDoesNotStopTheOthers() {
    repository.addVersion("other", 1);
    fixture.loader.failLoad("m", 1, "broken");

    ModelRegistry<FakeServable> registry = fixture.start();

    assertThat(registry.status("other").serving()).isTrue();
    assertThat(RegistryFixture.resolve(registry, "other", VersionSelector.defaultVersion()))
        .isEqualTo(1);
  }
}
