package dev.swinserve.registry;

import static dev.swinserve.registry.RegistryFixture.states;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.config.ConfigTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a scan finds, selects and refuses. */
@Timeout(30)
class ModelRegistryScanTest extends RegistryTestBase {

  @TempDir Path outside;

  private void addVersions(String model, long... versions) {
    for (long version : versions) {
      repository.addVersion(model, version);
    }
  }

  @Test
  void withoutModelYamlServesOnlyTheLatestVersion() {
    addVersions("m", 1, 2, 10);

    ModelRegistry<FakeServable> registry = fixture.start();

    assertThat(states(registry.status("m"))).isEqualTo(Map.of(10L, VersionState.AVAILABLE));
    assertThat(fixture.loader.loads()).containsExactly(new ModelVersionId("m", 10));
  }

  @Test
  void servesTheLatestNVersions() {
    addVersions("m", 1, 2, 3);
    repository.writeConfig("m", "version_policy: {latest: 2}\n");

    assertThat(states(fixture.start().status("m")).keySet()).containsExactly(2L, 3L);
  }

  @Test
  void servesAllVersions() {
    addVersions("m", 1, 2, 3);
    repository.writeConfig("m", "version_policy: all\n");

    assertThat(states(fixture.start().status("m")).keySet()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void servesSpecificVersionsThatExist() {
    addVersions("m", 1, 2, 3);
    repository.writeConfig("m", "version_policy: {specific: [1, 3, 7]}\n");

    assertThat(states(fixture.start().status("m")).keySet()).containsExactly(1L, 3L);
  }

  @Test
  void listsModelsSortedByNameEachWithItsOwnPolicy() {
    addVersions("zeta", 1, 2);
    addVersions("alpha", 5);
    repository.writeConfig("zeta", "version_policy: all\n");

    ModelRegistry<FakeServable> registry = fixture.start();

    assertThat(registry.list()).extracting(ModelStatus::name).containsExactly("alpha", "zeta");
    assertThat(states(registry.status("zeta")).keySet()).containsExactly(1L, 2L);
  }

  @Test
  void passesTheVersionDirectoryAndConfigToTheLoader() throws IOException {
    Path directory = repository.addVersion("m", 4);
    repository.writeConfig("m", "runtime: {intra_op_threads: 3}\n");

    fixture.start();

    FakeServable servable = fixture.loader.servable("m", 4);
    assertThat(servable.directory()).isEqualTo(directory.toRealPath());
    assertThat(servable.config().runtime())
        .isEqualTo(ConfigTree.parse("intra_op_threads: 3", "expected"));
    assertThat(servable.config().runtime().source()).endsWith("model.yaml");
    assertThat(servable.warmUps()).isEqualTo(1);
  }

  @Test
  void ignoresHiddenEntriesFilesAndNonVersionDirectories() throws IOException {
    addVersions("m", 1);
    repository.addDirectory("m/.staging-2");
    repository.addDirectory("m/03");
    repository.addDirectory("m/0");
    repository.addDirectory("m/assets");
    Files.writeString(root.resolve("m/5"), "a file, not a version directory");
    repository.addDirectory(".cache/1");
    Files.writeString(root.resolve("README.md"), "not a model");

    ModelRegistry<FakeServable> registry = fixture.start();

    assertThat(registry.list()).extracting(ModelStatus::name).containsExactly("m");
    assertThat(states(registry.status("m"))).isEqualTo(Map.of(1L, VersionState.AVAILABLE));
    assertThat(fixture.loader.loads()).containsExactly(new ModelVersionId("m", 1));
  }

  @Test
  void refusesInvalidModelNames() {
    addVersions("good", 1);
    addVersions("has space", 1);
    addVersions("ünïcode", 1);
    addVersions("n".repeat(129), 1);

    ModelRegistry<FakeServable> registry = fixture.start();

    assertThat(registry.list()).extracting(ModelStatus::name).containsExactly("good");
    assertThat(fixture.loader.loads()).containsExactly(new ModelVersionId("good", 1));
  }

  @Test
  void refusesSymlinksThatLeaveTheRepository() throws IOException {
    addVersions("m", 1);
    Files.createDirectories(outside.resolve("elsewhere/1"));
    Files.createDirectories(outside.resolve("version"));
    Files.createSymbolicLink(root.resolve("escaped"), outside.resolve("elsewhere"));
    Files.createSymbolicLink(root.resolve("m/2"), outside.resolve("version"));
    Files.createSymbolicLink(root.resolve("loop"), root);

    ModelRegistry<FakeServable> registry = fixture.start();

    assertThat(registry.list()).extracting(ModelStatus::name).containsExactly("m");
    assertThat(states(registry.status("m"))).isEqualTo(Map.of(1L, VersionState.AVAILABLE));
    assertThat(fixture.loader.loads()).containsExactly(new ModelVersionId("m", 1));
  }

  @Test
  void followsSymlinksThatStayInsideTheRepository() throws IOException {
    repository.addDirectory(".store/m-v7");
    Files.createDirectories(root.resolve("m"));
    Files.createSymbolicLink(root.resolve("m/7"), root.resolve(".store/m-v7"));

    ModelRegistry<FakeServable> registry = fixture.start();

    assertThat(states(registry.status("m"))).isEqualTo(Map.of(7L, VersionState.AVAILABLE));
  }

  @Test
  void aModelWithoutVersionsIsListedButNotServing() {
    repository.writeConfig("empty", "version_policy: all\n");

    ModelStatus status = fixture.start().status("empty");

    assertThat(status.versions()).isEmpty();
    assertThat(status.serving()).isFalse();
    assertThat(status.defaultVersion()).isEmpty();
  }

  @Test
  void startFailsWhenTheRepositoryIsMissingAndMayBeRetried() {
    ModelRegistry<FakeServable> registry = fixture.create();
    TestRepository.delete(root);

    assertThatThrownBy(registry::start)
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("cannot read the model repository " + root);

    repository.addVersion("m", 1);
    registry.start();
    assertThat(registry.status("m").serving()).isTrue();
  }

  @Test
  void startTwiceIsRefused() {
    ModelRegistry<FakeServable> registry = fixture.start();

    assertThatThrownBy(registry::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
  }
}
