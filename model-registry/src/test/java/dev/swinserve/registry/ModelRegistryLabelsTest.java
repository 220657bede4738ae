package dev.swinserve.registry;

import static dev.swinserve.registry.RegistryFixture.resolve;
import static dev.swinserve.registry.RegistryFixture.states;
import static dev.swinserve.registry.RegistryFixture.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Labels from model.yaml and from setLabel, and model.yaml changes at run time. */
@Timeout(30)
class ModelRegistryLabelsTest extends RegistryTestBase {

  @BeforeEach
  void setUp() {
    for (long version = 1; version <= 3; version++) {
      repository.addVersion("m", version);
    }
  }

  @Test
  void labelsComeFromModelYaml() {
    repository.writeConfig("m", "version_policy: all\nlabels: {stable: 1, canary: 2, blue: 2}\n");

    ModelStatus status = fixture.start().status("m");

    assertThat(status.labels())
        .containsExactly(Map.entry("blue", 2L), Map.entry("canary", 2L), Map.entry("stable", 1L));
    assertThat(version(status, 2).labels()).containsExactly("blue", "canary");
    assertThat(version(status, 3).labels()).isEmpty();
  }

  @Test
  void labelledVersionsStayLoadedOutsideThePolicy() {
    repository.writeConfig("m", "version_policy: {latest: 1}\nlabels: {stable: 1}\n");

    ModelRegistry<FakeServable> registry = fixture.start();

    assertThat(states(registry.status("m")))
        .isEqualTo(Map.of(1L, VersionState.AVAILABLE, 3L, VersionState.AVAILABLE));
    assertThat(resolve(registry, "m", VersionSelector.defaultVersion())).isEqualTo(1);
  }

  @Test
  void setLabelOverridesModelYamlAndMovesTheDefault() {
    repository.writeConfig("m", "version_policy: all\nlabels: {stable: 1}\n");
    ModelRegistry<FakeServable> registry = fixture.start();

    ModelStatus status = registry.setLabel("m", "stable", 2);

    assertThat(status.labels()).containsEntry("stable", 2L);
    assertThat(status.defaultVersion()).hasValue(2);
    assertThat(resolve(registry, "m", VersionSelector.defaultVersion())).isEqualTo(2);
    assertThat(registry.status("m")).isEqualTo(status);
  }

  @Test
  void runTimeLabelsWinOverModelYamlChanges() {
    repository.writeConfig("m", "version_policy: all\nlabels: {stable: 1}\n");
    ModelRegistry<FakeServable> registry = fixture.start();
    registry.setLabel("m", "stable", 2);

    repository.writeConfig("m", "version_policy: all\nlabels: {stable: 3, canary: 3}\n");
    registry.reload();

    assertThat(registry.status("m").labels())
        .containsExactly(Map.entry("canary", 3L), Map.entry("stable", 2L));
  }

  @Test
  void movingALabelAwayReleasesTheVersionItPinned() throws Exception {
    repository.writeConfig("m", "labels: {stable: 1}\n");
    ModelRegistry<FakeServable> registry = fixture.start();

    registry.setLabel("m", "stable", 3);

    assertThat(fixture.listener.await("m@1 UNLOADED")).isTrue();
    assertThat(fixture.loader.servable("m", 1).closes()).isEqualTo(1);
    assertThat(resolve(registry, "m", VersionSelector.defaultVersion())).isEqualTo(3);
  }

  @Test
  void setLabelRefusesVersionsThatAreNotAvailable() {
    fixture.loader.failLoad("m", 2, "broken");
    repository.writeConfig("m", "version_policy: {specific: [2, 3]}\n");
    ModelRegistry<FakeServable> registry = fixture.start();

    assertThatThrownBy(() -> registry.setLabel("m", "canary", 2))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("model 'm' version 2 FAILED: broken");
    assertThatThrownBy(() -> registry.setLabel("m", "canary", 1))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessage("model 'm' has no version 1 (versions: 2 FAILED, 3)");
    assertThatThrownBy(() -> registry.setLabel("nope", "canary", 3))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("model 'nope' not found");
    assertThat(registry.status("m").labels()).isEmpty();
  }

  @Test
  void setLabelRefusesInvalidLabelNames() {
    ModelRegistry<FakeServable> registry = fixture.start();

    assertThatThrownBy(() -> registry.setLabel("m", "Canary", 3))
        .isInstanceOf(InvalidNameException.class)
        .hasMessage(
            "'Canary' is not a valid label name ([a-z0-9][a-z0-9_-]*, at most 64 characters)");
  }

  @Test
  void aBrokenModelYamlKeepsTheLastGoodConfigAndReportsTheError() {
    repository.writeConfig("m", "version_policy: all\nlabels: {stable: 2}\n");
    ModelRegistry<FakeServable> registry = fixture.start();

    repository.writeConfig("m", "version_policy: {latest: many}\n");
    ModelStatus status = registry.reload().get(0);

    assertThat(status.error())
        .hasValueSatisfying(
            error ->
                assertThat(error)
                    .startsWith(root.resolve("m/model.yaml").toString())
                    .contains(
                        "'version_policy.latest' must be a positive integer, got \"many\" (line 1)"));
    assertThat(states(status).keySet()).containsExactly(1L, 2L, 3L);
    assertThat(status.serving()).isTrue();
    assertThat(status.labels()).containsEntry("stable", 2L);

    repository.writeConfig("m", "version_policy: all\n");
    assertThat(registry.reload().get(0).error()).isEmpty();
  }

  @Test
  void aBrokenModelYamlAtStartLoadsNothingAndReportsTheError() {
    repository.writeConfig("m", "version_policy: {latest: 1}\nlables: {stable: 1}\n");

    ModelRegistry<FakeServable> registry = fixture.start();

    ModelStatus status = registry.status("m");
    assertThat(status.error())
        .hasValueSatisfying(error -> assertThat(error).contains("'lables' is an unknown key"));
    assertThat(status.versions()).isEmpty();
    assertThat(fixture.loader.loads()).isEmpty();
  }

  @Test
  void aChangedVersionPolicyApplies() throws Exception {
    ModelRegistry<FakeServable> registry = fixture.start();
    assertThat(states(registry.status("m")).keySet()).containsExactly(3L);

    repository.writeConfig("m", "version_policy: {latest: 2}\n");
    registry.reload();

    assertThat(states(registry.status("m")))
        .isEqualTo(Map.of(2L, VersionState.AVAILABLE, 3L, VersionState.AVAILABLE));
  }

  @Test
  void labelNamesAreAtMost64Characters() {
    ModelRegistry<FakeServable> registry = fixture.start();

    assertThat(registry.setLabel("m", "l".repeat(64), 3).labels()).containsKey("l".repeat(64));
    assertThatThrownBy(() -> registry.setLabel("m", "l".repeat(65), 3))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("at most 64 characters");
    repository.writeConfig("m", "labels: {" + "l".repeat(65) + ": 3}\n");
    assertThat(registry.reload().get(0).error())
        .hasValueSatisfying(error -> assertThat(error).contains("is not a valid label name"));
  }

  @Test
  void aHugeLabelNameKeepsEveryMessageShort() {
    ModelRegistry<FakeServable> registry = fixture.start();
    String huge = "x".repeat(10_000);
    for (int i = 0; i < 100; i++) {
      registry.setLabel("m", "label-" + i, 3);
    }

    assertThatThrownBy(() -> registry.setLabel("m", huge, 3))
        .hasMessageContaining("(10000 characters)")
        .satisfies(error -> assertThat(error.getMessage()).hasSizeLessThan(400));
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.label(huge)))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("(100 in all)")
        .satisfies(error -> assertThat(error.getMessage()).hasSizeLessThan(600));
    assertThatThrownBy(() -> registry.acquire(huge, VersionSelector.defaultVersion()))
        .isInstanceOf(ModelNotFoundException.class)
        .satisfies(error -> assertThat(error.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void removeLabelRemovesARunTimeLabelAndReleasesItsVersion() throws Exception {
    ModelRegistry<FakeServable> registry = fixture.start();
    registry.setLabel("m", "canary", 3);
    repository.addVersion("m", 4);
    registry.reload();
    assertThat(states(registry.status("m"))).containsEntry(3L, VersionState.AVAILABLE);

    ModelStatus status = registry.removeLabel("m", "canary");

    assertThat(status.labels()).isEmpty();
    assertThat(fixture.listener.await("m@3 UNLOADED")).isTrue();
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.label("canary")))
        .isInstanceOf(ModelNotFoundException.class);
  }

  @Test
  void removingARunTimeLabelBringsBackTheModelYamlValue() {
    repository.writeConfig("m", "version_policy: all\nlabels: {stable: 1}\n");
    ModelRegistry<FakeServable> registry = fixture.start();
    registry.setLabel("m", "stable", 2);

    ModelStatus status = registry.removeLabel("m", "stable");

    assertThat(status.labels()).containsExactly(Map.entry("stable", 1L));
    assertThat(status.defaultVersion()).hasValue(1);
  }

  @Test
  void removeLabelRefusesLabelsSetByModelYamlAndUnknownLabels() throws Exception {
    repository.writeConfig("m", "version_policy: all\nlabels: {stable: 1}\n");
    ModelRegistry<FakeServable> registry = fixture.start();

    assertThatThrownBy(() -> registry.removeLabel("m", "stable"))
        .isInstanceOf(LabelInConfigException.class)
        .hasMessage(
            "label 'stable' of model 'm' is set in "
                + root.toRealPath().resolve("m/model.yaml")
                + "; remove it from that file instead");
    assertThatThrownBy(() -> registry.removeLabel("m", "canary"))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessage("model 'm' has no label 'canary' (labels: stable)");
    assertThatThrownBy(() -> registry.removeLabel("nope", "stable"))
        .isInstanceOf(ModelNotFoundException.class);
    assertThat(registry.status("m").labels()).containsExactly(Map.entry("stable", 1L));
  }
}
