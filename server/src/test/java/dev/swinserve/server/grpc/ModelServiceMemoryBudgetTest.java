package dev.swinserve.server.grpc;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.api.v1.ReloadRepositoryRequest;
import dev.swinserve.api.v1.VersionState;
import dev.swinserve.config.ConfigTree;
import dev.swinserve.registry.ModelConfig;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.config.ServerConfigReader;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.runtime.tensorflow.TensorFlowModelLoader;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.InProcessServer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * registry.memory_budget_mib, in-process with real models: a version that does not fit waits and
 * says why.
 */
class ModelServiceMemoryBudgetTest {

  private static final long MEBIBYTE = 1 << 20;

  @TempDir Path repository;

  @Test
  void aVersionThatDoesNotFitBesideTheServingOneWaitsAndGetModelStatusSaysWhy() throws IOException {
    Path first = FixtureRepository.add(repository, "mini", 1, MINI);
    long estimate =
        new TensorFlowModelLoader(RuntimeConfig.defaults())
            .estimateResources(first, ModelConfig.defaults());
    assertThat(estimate).as("room for one version, not two").isGreaterThan(MEBIBYTE);
    long budgetMebibytes = estimate / MEBIBYTE + 1;

    try (InProcessServer server = InProcessServer.start(config(budgetMebibytes))) {
      var models = ModelServiceGrpc.newBlockingStub(server.channel());
      FixtureRepository.add(repository, "mini", 2, MINI);
      models.reloadRepository(ReloadRepositoryRequest.getDefaultInstance());

      ModelStatus status = models.getModelStatus(ModelSpec.newBuilder().setName("mini").build());

      assertThat(status.getDefaultVersion()).isEqualTo(1);
      assertThat(status.getVersionsList())
          .anySatisfy(
              version -> {
                assertThat(version.getVersion()).isEqualTo(2);
                assertThat(version.getState()).isEqualTo(VersionState.LOADING);
                assertThat(version.getError())
                    .startsWith("waiting for memory: needs ")
                    .endsWith(" MiB of the " + budgetMebibytes + " MiB memory budget free");
              });
    }
  }

  private ServerConfig config(long budgetMebibytes) throws IOException {
    String yaml =
        "port: 0\nshutdown_grace_ms: 5000\nregistry: {poll_interval_ms: 0, memory_budget_mib: "
            + budgetMebibytes
            + "}\n";
    return ServerConfigReader.parse(ConfigTree.parse(yaml, "server.yaml"), Path.of(""))
        .withModelRepository(repository);
  }
}
