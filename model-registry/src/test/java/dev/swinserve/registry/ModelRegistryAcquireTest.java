package dev.swinserve.registry;

import static dev.swinserve.registry.RegistryFixture.resolve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Resolving selectors to versions, and the messages when that cannot be done. */
@Timeout(30)
class ModelRegistryAcquireTest extends RegistryTestBase {

  @BeforeEach
  void setUp() {
    for (long version = 1; version <= 3; version++) {
      repository.addVersion("m", version);
    }
  }

  private ModelRegistry<FakeServable> start(String yaml) {
    repository.writeConfig("m", yaml);
    return fixture.start();
  }

  @Test
  void defaultIsTheNewestAvailableVersionWithoutAStableLabel() {
    fixture.loader.failLoad("m", 3, "broken");
    ModelRegistry<FakeServable> registry = start("version_policy: all\n");

    assertThat(resolve(registry, "m", VersionSelector.defaultVersion())).isEqualTo(2);
    assertThat(registry.status("m").defaultVersion()).hasValue(2);
  }

  @Test
  void defaultIsTheStableVersionWhenLabelled() {
    ModelRegistry<FakeServable> registry = start("version_policy: all\nlabels: {stable: 1}\n");

    assertThat(resolve(registry, "m", VersionSelector.defaultVersion())).isEqualTo(1);
    assertThat(registry.status("m").defaultVersion()).hasValue(1);
  }

  @Test
  void defaultFallsBackToTheNewestAvailableVersionWhenStableFailed() {
    fixture.loader.failLoad("m", 1, "corrupt variables");
    ModelRegistry<FakeServable> registry = start("version_policy: all\nlabels: {stable: 1}\n");

    assertThat(resolve(registry, "m", VersionSelector.defaultVersion())).isEqualTo(3);
    assertThat(registry.status("m").defaultVersion()).hasValue(3);
    assertThat(registry.status("m").danglingLabels()).containsExactly("stable");
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.label("stable")))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage(
            "label 'stable' of model 'm' points at version 1, which FAILED: corrupt variables");
  }

  @Test
  void exactVersionAndLabelResolveToThatVersion() {
    ModelRegistry<FakeServable> registry = start("version_policy: all\nlabels: {canary: 3}\n");

    try (ModelHandle<FakeServable> handle = registry.acquire("m", VersionSelector.version(2))) {
      assertThat(handle.id()).isEqualTo(new ModelVersionId("m", 2));
      assertThat(handle.servable()).isSameAs(fixture.loader.servable("m", 2));
    }
    assertThat(resolve(registry, "m", VersionSelector.label("canary"))).isEqualTo(3);
  }

  @Test
  void unknownModelNamesTheModelsThereAre() {
    repository.addVersion("other", 1);
    ModelRegistry<FakeServable> registry = start("");

    assertThatThrownBy(() -> registry.acquire("nope", VersionSelector.defaultVersion()))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessage("model 'nope' not found (models: m, other)");
    assertThatThrownBy(() -> registry.status("nope")).isInstanceOf(ModelNotFoundException.class);
  }

  @Test
  void unknownVersionNamesTheVersionsThereAre() {
    fixture.loader.failLoad("m", 3, "broken");
    ModelRegistry<FakeServable> registry = start("version_policy: {latest: 2}\n");

    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.version(7)))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessage("model 'm' has no version 7 (versions: 2, 3 FAILED)");
    // On disk but outside the policy: not served, so not found.
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.version(1)))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("has no version 1");
  }

  @Test
  void unknownLabelNamesTheLabelsThereAre() {
    ModelRegistry<FakeServable> registry = start("labels: {stable: 3, canary: 3}\n");

    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.label("beta")))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessage("model 'm' has no label 'beta' (labels: canary, stable)");
  }

  @Test
  void aLabelOnAVersionThatDoesNotExistIsNotFound() {
    ModelRegistry<FakeServable> registry = start("labels: {canary: 9}\n");

    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.label("canary")))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessage(
            "label 'canary' of model 'm' points at version 9, which is not in the repository"
                + " (the label dangles; set it to an available version or remove it; versions: 3)");
    assertThat(registry.status("m").danglingLabels()).containsExactly("canary");
  }

  @Test
  void noAvailableVersionIsUnavailableAndSaysWhy() {
    fixture.loader.failLoad("m", 3, "out of memory");
    ModelRegistry<FakeServable> registry = start("");

    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.defaultVersion()))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("model 'm' has no available version (versions: 3 FAILED)");
  }

  @Test
  void everyHandleHoldsItsOwnReference() throws InterruptedException {
    ModelRegistry<FakeServable> registry = start("");
    ModelHandle<FakeServable> first = registry.acquire("m", VersionSelector.defaultVersion());
    ModelHandle<FakeServable> second = registry.acquire("m", VersionSelector.defaultVersion());

    repository.removeVersion("m", 3);
    registry.reload();
    first.close();
    first.close();

    assertThat(fixture.loader.servable("m", 3).isClosed()).isFalse();
    second.close();
    assertThat(fixture.loader.servable("m", 3).awaitClosed()).isTrue();
  }
}
