package dev.swinserve.registry;

import static dev.swinserve.registry.RegistryFixture.resolve;
import static dev.swinserve.registry.RegistryFixture.states;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Unload and load on request, as Triton's explicit model control has them. */
@Timeout(30)
class ModelRegistryUnloadLoadTest extends RegistryTestBase {

  @BeforeEach
  void setUp() {
    repository.addVersion("m", 1);
    repository.addVersion("m", 2);
    repository.writeConfig("m", "version_policy: all\n");
    repository.addVersion("other", 1);
  }

  @Test
  void unloadRetiresEveryVersionAndRefusesCallsUntilLoad() {
    ModelRegistry<FakeServable> registry = fixture.start();

    ModelStatus unloaded = registry.unload("m");

    assertThat(unloaded.unloaded()).isTrue();
    assertThat(unloaded.serving()).isFalse();
    assertThat(states(unloaded))
        .isEqualTo(Map.of(1L, VersionState.UNLOADED, 2L, VersionState.UNLOADED));
    assertThat(fixture.loader.servable("m", 2).isClosed()).isTrue();
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.defaultVersion()))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessageContaining("model 'm' is unloaded");
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.version(1)))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessageContaining("unloaded");
    assertThat(resolve(registry, "other", VersionSelector.defaultVersion())).isEqualTo(1);

    registry.reload();
    assertThat(registry.status("m").serving()).as("a rescan does not undo an unload").isFalse();

    ModelStatus loaded = registry.load("m");

    assertThat(loaded.unloaded()).isFalse();
    assertThat(states(loaded))
        .isEqualTo(Map.of(1L, VersionState.AVAILABLE, 2L, VersionState.AVAILABLE));
    assertThat(resolve(registry, "m", VersionSelector.defaultVersion())).isEqualTo(2);
    assertThat(fixture.loader.loadsOf("m", 2)).isEqualTo(2);
  }

  @Test
  void aFailedLoadLeavesAnUnloadedModelUnloadedWithTheReason() {
    ModelRegistry<FakeServable> registry = fixture.start();
    registry.unload("m");
    fixture.loader.failLoad("m", 2, "broken weights");

    assertThatThrownBy(() -> registry.load("m"))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessageContaining("model 'm' did not load: version 2 FAILED: ")
        .hasMessageContaining("broken weights");

    ModelStatus status = registry.status("m");
    assertThat(status.unloaded()).isTrue();
    assertThat(states(status))
        .isEqualTo(Map.of(1L, VersionState.UNLOADED, 2L, VersionState.FAILED));
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.version(1)))
        .isInstanceOf(ModelUnavailableException.class);

    fixture.loader.heal("m", 2);
    assertThat(states(registry.load("m")))
        .as("load tries a failed version again")
        .isEqualTo(Map.of(1L, VersionState.AVAILABLE, 2L, VersionState.AVAILABLE));
  }

  @Test
  void aFailedReloadKeepsAServingModelServing() {
    ModelRegistry<FakeServable> registry = fixture.start();
    fixture.loader.failLoad("m", 3, "broken weights");
    repository.addVersion("m", 3);

    assertThatThrownBy(() -> registry.load("m"))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessageContaining("version 3 FAILED");

    assertThat(registry.status("m").unloaded()).isFalse();
    assertThat(resolve(registry, "m", VersionSelector.defaultVersion())).isEqualTo(2);
  }

  @Test
  void loadPicksUpAModelNewToTheRepositoryAndUnknownNamesAreNotFound() {
    ModelRegistry<FakeServable> registry = fixture.start();
    repository.addVersion("late", 1);

    assertThat(registry.load("late").serving()).isTrue();
    assertThatThrownBy(() -> registry.load("nope")).isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> registry.unload("nope"))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("late");
  }
}
