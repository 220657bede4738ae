package dev.swinserve.converter.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folders made all or nothing, and versions added as copies (conversions are ConvertCommandTest's).
 */
class ModelRepositoryWriterTest {

  @TempDir Path parent;

  @Test
  void aFolderAppearsOnlyOnceComplete() throws IOException {
    Path target = parent.resolve("models");

    ModelRepositoryWriter.createAtomically(
        target,
        folder -> {
          assertThat(target).as("not yet in place while being written").doesNotExist();
          Files.writeString(
              Files.createDirectories(folder.resolve("model")).resolve("model.yaml"), "labels: {}");
        });

    assertThat(target.resolve("model").resolve("model.yaml")).hasContent("labels: {}");
    assertThat(children(parent)).containsExactly("models");
  }

  @Test
  void aFailureLeavesNeitherTheFolderNorItsStaging() {
    Path target = parent.resolve("models");

    assertThatThrownBy(
            () ->
                ModelRepositoryWriter.createAtomically(
                    target,
                    folder -> {
                      Files.writeString(folder.resolve("half"), "written");
                      throw new IOException("disk full");
                    }))
        .hasMessage("disk full");

    assertThat(children(parent)).isEmpty();
  }

  @Test
  void replacesAnEmptyFolderButNotOneThatHoldsSomething() throws IOException {
    Path empty = Files.createDirectories(parent.resolve("empty"));
    Path full = Files.createDirectories(parent.resolve("full"));
    Files.writeString(full.resolve("mine"), "keep");

    ModelRepositoryWriter.createAtomically(
        empty, folder -> Files.writeString(folder.resolve("new"), "new"));
    assertThatThrownBy(
            () ->
                ModelRepositoryWriter.createAtomically(
                    full, folder -> Files.writeString(folder.resolve("new"), "new")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(full.toString());

    assertThat(children(empty)).containsExactly("new");
    assertThat(children(full)).containsExactly("mine");
    assertThat(children(parent)).containsExactlyInAnyOrder("empty", "full");
  }

  @Test
  void deletesOnlyTheStagingFoldersOfItsTarget() throws IOException {
    Files.createDirectories(parent.resolve(".staging-models-1").resolve("model").resolve("1"));
    Files.createDirectories(parent.resolve(".staging-models-2"));
    Files.createDirectories(parent.resolve(".staging-other-1"));
    Files.createDirectories(parent.resolve("models-staging"));

    ModelRepositoryWriter.deleteStaging(parent.resolve("models"));

    assertThat(children(parent)).containsExactlyInAnyOrder(".staging-other-1", "models-staging");
  }

  @Test
  void copiesAVersionFileForFileWithItsModificationTimes() throws IOException {
    Path stable = parent.resolve("model").resolve("1");
    Files.writeString(
        Files.createDirectories(stable.resolve("variables")).resolve("variables.index"), "index");
    Files.writeString(stable.resolve("saved_model.pb"), "graph");
    FileTime then = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(stable.resolve("variables").resolve("variables.index"), then);

    Path canary = ModelRepositoryWriter.copyVersion(parent, "model", 1, 2);

    assertThat(canary).isEqualTo(parent.resolve("model").resolve("2"));
    assertThat(canary.resolve("saved_model.pb")).hasContent("graph");
    assertThat(canary.resolve("variables").resolve("variables.index")).hasContent("index");
    assertThat(Files.getLastModifiedTime(canary.resolve("variables").resolve("variables.index")))
        .isEqualTo(then);
    assertThat(children(parent.resolve("model"))).containsExactlyInAnyOrder("1", "2");
  }

  @Test
  void refusesToCopyOverAVersionOrFromOneThatIsMissing() throws IOException {
    Files.createDirectories(parent.resolve("model").resolve("1"));
    Files.createDirectories(parent.resolve("model").resolve("2"));

    assertThatThrownBy(() -> ModelRepositoryWriter.copyVersion(parent, "model", 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> ModelRepositoryWriter.copyVersion(parent, "model", 3, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not exist");
    assertThat(children(parent.resolve("model"))).containsExactlyInAnyOrder("1", "2");
  }

  private static List<String> children(Path directory) {
    try (Stream<Path> children = Files.list(directory)) {
      return children.map(child -> child.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
