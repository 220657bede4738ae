package dev.swinserve.launcher.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.client.ClientChannels;
import dev.swinserve.client.ClientConfig;
import dev.swinserve.client.testing.FakeServer;
import dev.swinserve.client.testing.FixtureImages;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code classify} one call per request against an in-process fake server. */
class ClassifyCommandTest {

  @TempDir Path temp;

  private final FakeServer server = new FakeServer();
  private Path images;

  @BeforeEach
  void copyImages() throws IOException {
    images =
        FixtureImages.copy(
            temp.resolve("images"), "rocket.jpg", "chelsea.png", "green-palette.png");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void sendsOneRequestPerFileWithModelVersionTopKAndTheFilesBytes() throws IOException {
    CommandRun run =
        classify(
            "--model",
            "tiny",
            "--version",
            "5",
            "--top-k",
            "3",
            "--target",
            "models.test:9000",
            images.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.targets()).containsExactly("models.test:9000");
    List<Path> sorted =
        List.of(
            images.resolve("chelsea.png"),
            images.resolve("green-palette.png"),
            images.resolve("rocket.jpg"));
    List<ClassifyRequest> requests = server.classifier().unaryRequests();
    assertThat(requests).hasSize(3);
    for (int i = 0; i < requests.size(); i++) {
      ClassifyRequest request = requests.get(i);
      assertThat(request.getModel())
          .isEqualTo(ModelSpec.newBuilder().setName("tiny").setVersion(5).build());
      assertThat(request.getTopK()).isEqualTo(3);
      assertThat(request.getRequestId()).isEqualTo(Integer.toString(i));
      assertThat(request.getImagesList())
          .extracting(Image::getEncoded)
          .containsExactly(ByteString.copyFrom(Files.readAllBytes(sorted.get(i))));
    }
  }

  @Test
  void labelOrNeitherGoesIntoTheModelSpec() {
    classify("--model", "tiny", "--label", "canary", images.resolve("rocket.jpg").toString());
    classify("--model", "tiny", images.resolve("rocket.jpg").toString());

    assertThat(server.classifier().unaryRequests())
        .extracting(ClassifyRequest::getModel)
        .containsExactly(
            ModelSpec.newBuilder().setName("tiny").setLabel("canary").build(),
            ModelSpec.newBuilder().setName("tiny").build());
    assertThat(server.classifier().unaryRequests())
        .extracting(ClassifyRequest::getTopK)
        .containsOnly(0);
    assertThat(server.targets()).containsOnly(ClientChannels.DEFAULT_TARGET);
  }

  @Test
  void tableShowsFileModelAtVersionRanksLabelsAndScores() throws IOException {
    Path chelsea = images.resolve("chelsea.png");

    CommandRun run = classify("--model", "tiny", "--top-k", "2", chelsea.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines().get(0)).matches("image\\s+model\\s+rank\\s+class\\s+score");
    assertThat(run.outLineWith("chelsea.png"))
        .matches(
            quoted(chelsea) + "\\s+tiny@2\\s+1\\s+bytes-" + Files.size(chelsea) + "\\s+0\\.5000");
    assertThat(run.outLineAfter("chelsea.png")).matches("\\s+2\\s+class-\\d+\\s+0\\.2500");
    assertThat(run.outLines()).hasSize(3);
  }

  @Test
  void batchSendsSeveralImagesPerRequest() {
    CommandRun run = classify("--model", "tiny", "--batch", "2", images.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.classifier().unaryRequests())
        .extracting(ClassifyRequest::getImagesCount)
        .containsExactly(2, 1);
    assertThat(run.out()).contains("chelsea.png", "green-palette.png", "rocket.jpg");
  }

  @Test
  void jsonPrintsOneObjectPerImage() throws IOException {
    CommandRun run = classify("--model", "tiny", "--version", "7", "--json", images.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines())
        .hasSize(3)
        .allMatch(line -> line.startsWith("{\"image\":") && line.endsWith("]}"));
    assertThat(run.outLineWith("rocket.jpg"))
        .contains(
            "\"model\":\"tiny\",\"version\":7",
            "{\"rank\":1,\"index\":",
            "\"label\":\"bytes-" + Files.size(images.resolve("rocket.jpg")) + "\",\"score\":0.5}");
  }

  @Test
  void badImageIsReportedAndTheOthersStillClassified() throws IOException {
    Path broken = Files.write(images.resolve("broken.png"), new byte[] {1, 2, 3});
    server.classifier().rejectImage(ByteString.copyFrom(Files.readAllBytes(broken)));

    CommandRun run = classify("--model", "tiny", images.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).isEqualTo(broken + ": INVALID_ARGUMENT: cannot decode image");
    assertThat(run.out())
        .contains("chelsea.png", "green-palette.png", "rocket.jpg")
        .doesNotContain("broken.png");
  }

  @Test
  void unknownModelPrintsOneClearLineAndExits1() {
    server.classifier().failWith(Status.NOT_FOUND.withDescription("no model named 'nope'"));

    CommandRun run = classify("--model", "nope", images.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).isEqualTo("classify failed: NOT_FOUND: no model named 'nope'");
    assertThat(run.out()).isEmpty();
    assertThat(server.classifier().unaryRequests()).as("stops at the first call error").hasSize(1);
  }

  @Test
  void unavailableServerGetsAHintNamingTheTarget() {
    server.classifier().failWith(Status.UNAVAILABLE.withDescription("io exception"));

    CommandRun run = classify("--model", "tiny", "--target", "gpu-box:8500", images.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .isEqualTo(
            "classify failed: UNAVAILABLE: io exception (is the server running at gpu-box:8500?)");
  }

  @Test
  void aTransientFailureIsRetriedByTheClient() {
    server.classifier().failNext(1, Status.UNAVAILABLE.withDescription("model loading"));

    CommandRun run = classify("--model", "tiny", images.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("chelsea.png", "green-palette.png", "rocket.jpg");
    assertThat(server.classifier().unaryRequests())
        .as("the first file's call was retried once")
        .hasSize(4);
  }

  @Test
  void deadlineBoundsEachCallAndItsHintNamesTheOption() {
    server.classifier().hangUnaryCalls();

    CommandRun run =
        classify(
            "--model", "tiny", "--deadline-ms", "200", images.resolve("rocket.jpg").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .startsWith("classify failed: DEADLINE_EXCEEDED")
        .endsWith("(a longer --deadline-ms may help)");
    assertThat(server.classifier().unaryRequests())
        .as("DEADLINE_EXCEEDED is not retried")
        .hasSize(1);
  }

  @Test
  void deadlineDefaultsToTheClients() {
    CommandRun run = classify("--help");

    long clientDefault =
        ClientConfig.defaults(ClientChannels.DEFAULT_TARGET).defaultDeadline().toMillis();
    assertThat(run.out().replaceAll("\\s+", " "))
        .contains("--deadline-ms", "default " + clientDefault + " (the client's)");
  }

  @Test
  void missingFileIsAUsageErrorBeforeAnyCall() {
    CommandRun run =
        classify(
            "--model",
            "tiny",
            images.resolve("rocket.jpg").toString(),
            temp.resolve("gone.png").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no such file or folder: " + temp.resolve("gone.png"));
    assertThat(server.targets()).as("no channel opened").isEmpty();
    assertThat(server.classifier().unaryRequests()).isEmpty();
  }

  @Test
  void conflictingOrOutOfRangeOptionsAreUsageErrors() {
    String image = images.resolve("rocket.jpg").toString();

    assertThat(classify("--model", "tiny", "--version", "1", "--label", "stable", image).exitCode())
        .isEqualTo(2);
    assertThat(classify("--model", "tiny", "--stream", "--in-flight", "0", image).err())
        .contains("--in-flight must be at least 1");
    assertThat(classify("--model", "tiny", "--batch", "0", image).exitCode()).isEqualTo(2);
    assertThat(classify("--model", "tiny", "--deadline-ms", "0", image).err())
        .contains("--deadline-ms must be at least 1");
    assertThat(classify("--model", "tiny", "--target", " ", image).exitCode()).isEqualTo(2);
    assertThat(classify(image).err()).contains("--model");
    assertThat(server.targets()).isEmpty();
  }

  private CommandRun classify(String... arguments) {
    return CommandRun.execute(ClassifyCommand.commandLine(server::client), arguments);
  }

  static String quoted(Path path) {
    return Pattern.quote(path.toString());
  }
}
