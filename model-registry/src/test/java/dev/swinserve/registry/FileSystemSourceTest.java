package dev.swinserve.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.registry.AspiredVersions.AspiredModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the file system source emits; the registry tests cover scanning in depth. */
class FileSystemSourceTest {

  @TempDir Path root;
  private final List<AspiredVersions> emitted = new CopyOnWriteArrayList<>();

  private FileSystemSource source(Path repository) {
    FileSystemSource source = new FileSystemSource(repository, Duration.ZERO);
    source.setAspiredVersionsCallback(
        aspired -> {
          emitted.add(aspired);
          return CompletableFuture.completedFuture(null);
        });
    return source;
  }

  @Test
  void refreshEmitsEveryModelWithItsVersionsLocationsAndConfigFile() throws Exception {
    TestRepository repository = new TestRepository(root);
    Path version = repository.addVersion("m", 3);
    repository.addDirectory("Not a model!/1");

    source(root).refresh().get();

    assertThat(emitted).hasSize(1);
    AspiredModel model = emitted.get(0).models().get("m");
    assertThat(model.versions()).containsOnlyKeys(3L);
    assertThat(model.versions().get(3L).location().toRealPath()).isEqualTo(version.toRealPath());
    assertThat(model.config()).contains(ModelConfig.defaults());
    assertThat(model.configLocation()).endsWith("model.yaml");
    assertThat(emitted.get(0).problems())
        .extracting(RepositoryProblem::path)
        .containsExactly("Not a model!");
  }

  @Test
  void aRootThatCannotBeReadEmitsNothing() {
    FileSystemSource source = source(root.resolve("absent"));

    assertThatThrownBy(source::refresh)
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("cannot read the model repository");
    assertThat(emitted).isEmpty();
  }

  @Test
  void aRevisionChangesWhenTheVersionFolderIsReplaced() throws Exception {
    TestRepository repository = new TestRepository(root);
    repository.addVersion("m", 1);
    FileSystemSource source = source(root);
    source.refresh().get();

    repository.replaceVersion("m", 1);
    source.refresh().get();

    assertThat(
            emitted
                .get(1)
                .models()
                .get("m")
                .versions()
                .get(1L)
                .sameRevisionAs(emitted.get(0).models().get("m").versions().get(1L)))
        .isFalse();
  }
}
