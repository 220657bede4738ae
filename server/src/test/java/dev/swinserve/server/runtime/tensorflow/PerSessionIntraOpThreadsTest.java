package dev.swinserve.server.runtime.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.swinserve.registry.ModelConfig;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.registry.VersionPolicy;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1} (set for this class only, by its own surefire
 * execution) each version's {@code intra_op_threads} sizes a pool of its own.
 */
class PerSessionIntraOpThreadsTest {

  @TempDir Path repository;

  @Test
  void eachVersionGetsTheIntraOpPoolItsModelYamlAsksFor() throws Exception {
    assertThat(System.getenv("TF_OVERRIDE_GLOBAL_THREADPOOL")).isEqualTo("1");
    Path version = TestModels.export(repository, TestModels.MINI);
    // The process-wide pools (preprocessing, background runs) start with the first load: not counted.
    threadsAddedBy(version, 1);

    long withTwo = threadsAddedBy(version, 2);
    long withFive = threadsAddedBy(version, 5);

    // The versions differ only in their intra-op pools.
    assertThat(withFive - withTwo).isEqualTo(3);
  }

  private static long threadsAddedBy(Path version, int intraOpThreads) throws Exception {
    ModelConfig config = new ModelConfig(VersionPolicy.latest(1), Map.of(), new ObjectMapper(new YAMLFactory())
        .readTree("intra_op_threads: " + intraOpThreads + "\ninter_op_threads: 1\n"));
    long before = NativeThreads.settledCount();
    try (ClassificationModel model = new TensorFlowModelLoader(RuntimeConfig.defaults())
        .load(new ModelVersionId("m", intraOpThreads), version, config)) {
      model.warmUp();
      return NativeThreads.namedLikeThisOne() - before;
    }
  }
}
