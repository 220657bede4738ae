package dev.swinserve.registry;

import static dev.swinserve.registry.RegistryFixture.states;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the registry refuses in the repository is reported in its status, not only logged. */
@Timeout(30)
class ModelRegistryProblemsTest extends RegistryTestBase {

  @TempDir Path outside;

  @BeforeEach
  void setUp() {
    repository.addVersion("m", 1);
  }

  @Test
  void invalidModelNamesAndModelLinksLeavingTheRepositoryAreRepositoryProblems()
      throws IOException {
    repository.addVersion("has space", 1);
    Files.createDirectories(outside.resolve("elsewhere/1"));
    Files.createSymbolicLink(root.resolve("escaped"), outside.resolve("elsewhere"));

    ModelRegistry<FakeServable> registry = fixture.start();

    assertThat(registry.problems())
        .extracting(RepositoryProblem::path)
        .containsExactlyInAnyOrder("has space", "escaped");
    assertThat(registry.problems())
        .anySatisfy(problem -> assertThat(problem.reason()).contains("not a valid model name"));
    assertThat(registry.problems())
        .anySatisfy(
            problem -> assertThat(problem.reason()).contains("outside the model repository"));
    assertThat(registry.status("m").problems()).isEmpty();

    repository.removeModel("has space");
    Files.delete(root.resolve("escaped"));
    registry.reload();
    assertThat(registry.problems()).as("a fixed problem goes away").isEmpty();
  }

  @Test
  void versionFolderLinksLeavingTheRepositoryAndBadVersionNamesAreModelProblems()
      throws IOException {
    Files.createDirectories(outside.resolve("version"));
    Files.createSymbolicLink(root.resolve("m/2"), outside.resolve("version"));
    repository.addDirectory("m/03");

    ModelRegistry<FakeServable> registry = fixture.start();

    ModelStatus status = registry.status("m");
    assertThat(states(status)).isEqualTo(Map.of(1L, VersionState.AVAILABLE));
    assertThat(status.problems())
        .extracting(RepositoryProblem::path)
        .containsExactlyInAnyOrder("m/2", "m/03");
    assertThat(status.problems())
        .anySatisfy(problem -> assertThat(problem.reason()).contains("not a version folder"));
    assertThat(registry.problems()).isEmpty();
  }

  @Test
  void aVersionHoldingAFileLinkThatLeavesTheRepositoryIsRefused() throws IOException {
    Path secret = Files.writeString(outside.resolve("secret"), "not a model");
    Path version = repository.addVersion("m", 2);
    Files.createDirectories(version.resolve("variables"));
    Files.createSymbolicLink(version.resolve("variables/variables.index"), secret);

    ModelRegistry<FakeServable> registry = fixture.start();

    ModelStatus status = registry.status("m");
    assertThat(states(status)).isEqualTo(Map.of(1L, VersionState.AVAILABLE));
    assertThat(fixture.loader.loads()).containsExactly(new ModelVersionId("m", 1));
    assertThat(status.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.path()).isEqualTo("m/2");
              assertThat(problem.reason())
                  .isEqualTo(
                      "version refused: m/2/variables/variables.index is a symbolic link to "
                          + secret.toRealPath()
                          + ", which is outside the model repository");
            });
  }

  @Test
  void aVersionHoldingALinkToAFolderOutsideIsRefusedAndLinksInsideAreFine() throws IOException {
    Files.createDirectories(outside.resolve("assets"));
    Path linkedOut = repository.addVersion("m", 2);
    Files.createSymbolicLink(linkedOut.resolve("assets"), outside.resolve("assets"));
    Path shared = repository.addDirectory(".shared");
    Path linkedIn = repository.addVersion("m", 3);
    Files.createSymbolicLink(linkedIn.resolve("assets"), shared);
    repository.writeConfig("m", "version_policy: all\n");

    ModelRegistry<FakeServable> registry = fixture.start();

    ModelStatus status = registry.status("m");
    assertThat(states(status))
        .isEqualTo(Map.of(1L, VersionState.AVAILABLE, 3L, VersionState.AVAILABLE));
    assertThat(status.problems()).extracting(RepositoryProblem::path).containsExactly("m/2");
  }

  @Test
  void aModelYamlThatDoesNotParseIsTheModelsError() {
    repository.writeConfig("m", "version_policy: [\n");

    ModelRegistry<FakeServable> registry = fixture.start();

    assertThat(registry.status("m").error())
        .hasValueSatisfying(error -> assertThat(error).contains("not valid YAML"));
  }
}
