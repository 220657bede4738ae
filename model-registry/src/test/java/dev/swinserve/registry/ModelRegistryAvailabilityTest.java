package dev.swinserve.registry;

import static dev.swinserve.registry.RegistryFixture.resolve;
import static dev.swinserve.registry.RegistryFixture.states;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a failed version, a deleted version folder and a label whose version is gone may not do:
 * take a serving model down.
 */
@Timeout(30)
class ModelRegistryAvailabilityTest extends RegistryTestBase {

  private static final VersionSelector DEFAULT = VersionSelector.defaultVersion();

  @Test
  void aFailedNewVersionDoesNotRetireTheServingOneWhenALabelKeepsAnOlderOne() throws Exception {
    repository.addVersion("m", 1);
    ModelRegistry<FakeServable> registry = fixture.start();
    registry.setLabel("m", "old", 1);
    repository.addVersion("m", 3);
    registry.reload();
    assertThat(registry.status("m").defaultVersion()).hasValue(3);

    fixture.loader.failLoad("m", 7, "corrupt saved_model.pb");
    repository.addVersion("m", 7);
    ModelStatus status = registry.reload().get(0);

    assertThat(states(status))
        .isEqualTo(
            Map.of(
                1L, VersionState.AVAILABLE, 3L, VersionState.AVAILABLE, 7L, VersionState.FAILED));
    assertThat(status.defaultVersion()).hasValue(3);
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(3);
    assertThat(fixture.loader.servable("m", 3).isClosed()).isFalse();

    // A good successor replaces the stand-in.
    repository.addVersion("m", 8);
    registry.reload();
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(8);
    assertThat(fixture.listener.await("m@3 UNLOADED")).isTrue();
    assertThat(states(registry.status("m"))).containsEntry(1L, VersionState.AVAILABLE);
  }

  @Test
  void aFailedVersionIsStoodInForByTheNewestRetiredOneOnly() throws Exception {
    repository.writeConfig("m", "version_policy: {latest: 2}\n");
    repository.addVersion("m", 1);
    repository.addVersion("m", 2);
    ModelRegistry<FakeServable> registry = fixture.start();

    fixture.loader.failLoad("m", 4, "corrupt");
    repository.addVersion("m", 3);
    repository.addVersion("m", 4);
    registry.reload();

    // Two versions wanted, one of them failed: the newest of the replaced ones keeps serving.
    assertThat(fixture.listener.await("m@1 UNLOADED")).isTrue();
    assertThat(states(registry.status("m")))
        .isEqualTo(
            Map.of(
                1L,
                VersionState.UNLOADED,
                2L,
                VersionState.AVAILABLE,
                3L,
                VersionState.AVAILABLE,
                4L,
                VersionState.FAILED));
  }

  @Test
  void aVersionWhoseFolderIsDeletedServesUntilItsSuccessorIsAvailable() throws Exception {
    repository.addVersion("m", 1);
    repository.addVersion("m", 3);
    ModelRegistry<FakeServable> registry = fixture.start();
    Gate load = fixture.loader.holdLoad("m", 1);

    repository.removeVersion("m", 3);
    CompletableFuture<Void> reloading = CompletableFuture.runAsync(registry::reload);
    assertThat(load.awaitEntered()).isTrue();

    assertThat(states(registry.status("m")))
        .isEqualTo(Map.of(1L, VersionState.LOADING, 3L, VersionState.AVAILABLE));
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(3);
    load.open();
    reloading.get(10, TimeUnit.SECONDS);

    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(1);
    assertThat(fixture.listener.await("m@3 UNLOADED")).isTrue();
    assertThat(fixture.listener.servingEvents()).containsExactly("m serving");
  }

  @Test
  void aVersionWhoseFolderIsDeletedKeepsServingWhenItsSuccessorFails() throws Exception {
    repository.addVersion("m", 1);
    repository.addVersion("m", 3);
    ModelRegistry<FakeServable> registry = fixture.start();
    fixture.loader.failLoad("m", 1, "corrupt");

    repository.removeVersion("m", 3);
    ModelStatus status = registry.reload().get(0);

    assertThat(states(status))
        .isEqualTo(Map.of(1L, VersionState.FAILED, 3L, VersionState.AVAILABLE));
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(3);

    // Closing still retires it.
    registry.close();
    assertThat(fixture.loader.servable("m", 3).awaitClosed()).isTrue();
  }

  @Test
  void deletingTheLastVersionFolderUnloadsIt() throws Exception {
    repository.addVersion("m", 1);
    ModelRegistry<FakeServable> registry = fixture.start();

    repository.removeVersion("m", 1);
    registry.reload();

    assertThat(fixture.listener.await("m@1 UNLOADED")).isTrue();
    assertThat(registry.status("m").serving()).isFalse();
  }

  @Test
  void aStableLabelWhoseVersionIsDeletedDanglesAndTheDefaultFallsBack() throws Exception {
    repository.addVersion("m", 3);
    repository.addVersion("m", 4);
    ModelRegistry<FakeServable> registry = fixture.start();
    registry.setLabel("m", "stable", 4);

    repository.removeVersion("m", 4);
    registry.reload();
    assertThat(fixture.listener.await("m@4 UNLOADED")).isTrue();

    ModelStatus status = registry.status("m");
    assertThat(status.labels()).containsEntry("stable", 4L);
    assertThat(status.danglingLabels()).containsExactly("stable");
    assertThat(status.defaultVersion()).hasValue(3);
    assertThat(status.serving()).isTrue();
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(3);
    assertThat(fixture.listener.servingEvents()).containsExactly("m serving");
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.label("stable")))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessage(
            "label 'stable' of model 'm' points at version 4, which is not in the repository"
                + " (the label dangles; set it to an available version or remove it; versions: 3)");

    // Pointing the label at a version that serves mends it.
    assertThat(registry.setLabel("m", "stable", 3).danglingLabels()).isEmpty();
  }

  @Test
  void aStableLabelFromModelYamlOnAMissingVersionDanglesAndTheDefaultFallsBack() {
    repository.addVersion("m", 1);
    repository.addVersion("m", 2);
    repository.writeConfig("m", "labels: {stable: 99}\n");

    ModelRegistry<FakeServable> registry = fixture.start();

    ModelStatus status = registry.status("m");
    assertThat(status.danglingLabels()).containsExactly("stable");
    assertThat(status.serving()).isTrue();
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(2);

    // The version arriving later mends the label.
    repository.addVersion("m", 99);
    status = registry.reload().get(0);
    assertThat(status.danglingLabels()).isEmpty();
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(99);
  }

  @Test
  void aModelWithNoAvailableVersionIsNotServingWhateverItsLabels() {
    repository.addVersion("m", 1);
    repository.writeConfig("m", "labels: {stable: 1}\n");
    fixture.loader.failLoad("m", 1, "corrupt");

    ModelRegistry<FakeServable> registry = fixture.start();

    assertThat(registry.status("m").serving()).isFalse();
    assertThat(registry.status("m").danglingLabels()).containsExactly("stable");
    assertThatThrownBy(() -> registry.acquire("m", DEFAULT))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage(
            "model 'm' has no available version (versions: 1 FAILED); label 'stable' points at version 1");
  }
}
