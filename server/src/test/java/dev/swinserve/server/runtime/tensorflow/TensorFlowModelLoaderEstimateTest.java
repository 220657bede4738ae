package dev.swinserve.server.runtime.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.config.ConfigTree;
import dev.swinserve.registry.ModelConfig;
import dev.swinserve.registry.VersionPolicy;
import dev.swinserve.server.runtime.InvalidModelException;
import dev.swinserve.server.runtime.RuntimeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader's memory estimate: the SavedModel's graph and variables bytes, per instance. */
class TensorFlowModelLoaderEstimateTest {

  private static final TensorFlowModelLoader LOADER =
      new TensorFlowModelLoader(RuntimeConfig.defaults());

  @TempDir static Path repository;
  private static Path exported;
  @TempDir Path temp;

  @BeforeAll
  static void export() {
    exported = TestModels.export(repository, TestModels.MINI);
  }

  @Test
  void oneInstanceIsTheGraphPlusTheVariables() throws IOException {
    long graph = Files.size(exported.resolve("saved_model.pb"));
    long variables;
    try (Stream<Path> files = Files.list(exported.resolve("variables"))) {
      variables = files.mapToLong(TensorFlowModelLoaderEstimateTest::size).sum();
    }

    long estimate = LOADER.estimateResources(exported, ModelConfig.defaults());

    assertThat(variables).as("the mini fixture's weights").isPositive();
    assertThat(estimate).isEqualTo(graph + variables);
  }

  @Test
  void eachInstanceCountsAgain() throws IOException {
    ModelConfig twoInstances =
        new ModelConfig(
            VersionPolicy.latest(1), Map.of(), ConfigTree.parse("instances: 2", "model.yaml"));

    assertThat(LOADER.estimateResources(exported, twoInstances))
        .isEqualTo(2 * LOADER.estimateResources(exported, ModelConfig.defaults()));
  }

  @Test
  void aDirectoryThatIsNoSavedModelIsRefusedAsTheLoadWouldBe() throws IOException {
    Path empty = Files.createDirectories(temp.resolve("empty").resolve("1"));

    assertThatThrownBy(() -> LOADER.estimateResources(empty, ModelConfig.defaults()))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("not a TensorFlow SavedModel");
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
