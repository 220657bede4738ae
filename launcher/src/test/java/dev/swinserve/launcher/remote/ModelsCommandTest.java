package dev.swinserve.launcher.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.api.v1.RemoveLabelRequest;
import dev.swinserve.api.v1.RepositoryProblem;
import dev.swinserve.api.v1.SetLabelRequest;
import dev.swinserve.api.v1.VersionState;
import dev.swinserve.api.v1.VersionStatus;
import dev.swinserve.client.testing.FakeServer;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code models} and its subcommands against an in-process fake ModelService. */
class ModelsCommandTest {

  private static final ModelStatus TINY =
      ModelStatus.newBuilder()
          .setName("swinv2-tiny")
          .setServing(true)
          .setDefaultVersion(2)
          .putLabels("canary", 1)
          .putLabels("stable", 2)
          .addVersions(
              VersionStatus.newBuilder()
                  .setVersion(1)
                  .setState(VersionState.AVAILABLE)
                  .addLabels("canary"))
          .addVersions(
              VersionStatus.newBuilder()
                  .setVersion(2)
                  .setState(VersionState.AVAILABLE)
                  .addLabels("stable"))
          .addVersions(VersionStatus.newBuilder().setVersion(3).setState(VersionState.LOADING))
          .build();
  private static final ModelStatus BROKEN =
      ModelStatus.newBuilder()
          .setName("broken")
          .addVersions(
              VersionStatus.newBuilder()
                  .setVersion(1)
                  .setState(VersionState.FAILED)
                  .setError("saved_model.pb: no serving_default signature"))
          .build();

  private final FakeServer server = new FakeServer();

  @BeforeEach
  void serveModels() {
    server.modelService().serve(TINY, BROKEN);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void listsEveryModelWithVersionsStatesLabelsAndErrors() {
    CommandRun run = models("--target", "models.test:9000");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.targets()).containsExactly("models.test:9000");
    assertThat(run.outLines()).hasSize(5);
    assertThat(run.outLines().get(0))
        .matches("model\\s+serving\\s+default\\s+version\\s+state\\s+labels\\s+error");
    assertThat(run.outLines().get(1))
        .matches("swinv2-tiny\\s+yes\\s+2\\s+1\\s+AVAILABLE\\s+canary");
    assertThat(run.outLines().get(2)).matches("\\s+2\\s+AVAILABLE\\s+stable");
    assertThat(run.outLines().get(3)).matches("\\s+3\\s+LOADING");
    assertThat(run.outLines().get(4))
        .matches(
            "broken\\s+no\\s+-\\s+1\\s+FAILED\\s+saved_model.pb: no serving_default signature");
  }

  @Test
  void statusAsksForOneModelWithTheGivenLabel() {
    CommandRun run = models("status", "swinv2-tiny", "--label", "stable");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.modelService().statusRequests())
        .containsExactly(ModelSpec.newBuilder().setName("swinv2-tiny").setLabel("stable").build());
    assertThat(run.out()).contains("swinv2-tiny").doesNotContain("broken");
  }

  @Test
  void setLabelSendsModelLabelAndVersion() {
    CommandRun run =
        models("set-label", "swinv2-tiny", "canary", "2", "--target", "models.test:9000");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.modelService().setLabelRequests())
        .containsExactly(
            SetLabelRequest.newBuilder()
                .setModel("swinv2-tiny")
                .setLabel("canary")
                .setVersion(2)
                .build());
    assertThat(server.targets())
        .as("--target after the subcommand still counts")
        .containsExactly("models.test:9000");
    assertThat(run.outLines().get(0)).isEqualTo("swinv2-tiny: canary -> version 2");
  }

  @Test
  void listsModelYamlErrorsDanglingLabelsAndRefusedPathsUnderTheTable() {
    server
        .modelService()
        .serve(
            ModelStatus.newBuilder()
                .setName("odd")
                .setServing(true)
                .setDefaultVersion(3)
                .setError("/models/odd/model.yaml: not valid YAML")
                .putLabels("stable", 4)
                .addDanglingLabels("stable")
                .addProblems(
                    RepositoryProblem.newBuilder()
                        .setPath("odd/2")
                        .setReason("version refused: a link"))
                .addVersions(
                    VersionStatus.newBuilder().setVersion(3).setState(VersionState.AVAILABLE))
                .build());
    server
        .modelService()
        .reportProblems(
            RepositoryProblem.newBuilder()
                .setPath("has space")
                .setReason("not a valid model name")
                .build());

    CommandRun run = models();

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines())
        .containsSubsequence(
            "problems:",
            "  odd: /models/odd/model.yaml: not valid YAML",
            "  odd: label 'stable' dangles: version 4 is gone or FAILED",
            "  odd/2: version refused: a link",
            "  has space: not a valid model name");
  }

  @Test
  void removeLabelSendsModelAndLabel() {
    CommandRun run = models("remove-label", "swinv2-tiny", "experiment");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.modelService().removeLabelRequests())
        .containsExactly(
            RemoveLabelRequest.newBuilder().setModel("swinv2-tiny").setLabel("experiment").build());
    assertThat(run.outLines().get(0)).isEqualTo("swinv2-tiny: experiment removed");
  }

  @Test
  void reloadRescansAndListsTheModels() {
    CommandRun run = models("reload");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.modelService().reloads()).isEqualTo(1);
    assertThat(run.out()).contains("swinv2-tiny", "broken", "FAILED");
  }

  @Test
  void unknownModelPrintsOneClearLineAndExits1() {
    CommandRun run = models("status", "nope");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .isEqualTo("models status failed: NOT_FOUND: no model of that name");
  }

  @Test
  void unavailableServerGetsAHintNamingTheTarget() {
    server.modelService().failWith(Status.UNAVAILABLE.withDescription("io exception"));

    CommandRun run = models("--target", "gpu-box:8500", "reload");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .isEqualTo(
            "models reload failed: UNAVAILABLE: io exception (is the server running at gpu-box:8500?)");
  }

  @Test
  void badArgumentsAreUsageErrors() {
    CommandRun notANumber = models("set-label", "swinv2-tiny", "canary", "two");
    CommandRun missingLabel = models("set-label", "swinv2-tiny");

    assertThat(notANumber.exitCode()).isEqualTo(2);
    assertThat(notANumber.err()).contains("Run 'swinserve models set-label --help'");
    assertThat(missingLabel.exitCode()).isEqualTo(2);
    assertThat(server.modelService().setLabelRequests()).isEmpty();
  }

  private CommandRun models(String... arguments) {
    return CommandRun.execute(ModelsCommand.commandLine(server::channel), arguments);
  }
}
