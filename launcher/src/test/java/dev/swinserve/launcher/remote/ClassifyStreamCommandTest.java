package dev.swinserve.launcher.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.Image;
import dev.swinserve.client.testing.FakeClassifierStream;
import dev.swinserve.client.testing.FakeServer;
import dev.swinserve.client.testing.FixtureImages;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code classify --stream} against a fake whose stream answers out of order. */
class ClassifyStreamCommandTest {

  private static final String[] IMAGES = {
    "camera-grayscale.png",
    "chelsea-progressive.jpg",
    "chelsea.png",
    "green-palette.png",
    "logo-rgba.png",
    "rocket.jpg",
    "coffee.png"
  };

  @TempDir Path temp;

  private final FakeServer server = new FakeServer();
  private Path images;

  @BeforeEach
  void copyImages() throws IOException {
    images = FixtureImages.copy(temp.resolve("images"), IMAGES);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void sendsEveryFileOverOneStreamWithinInFlight() throws IOException {
    server.classifier().answerStreamsInGroupsOf(3);

    CommandRun run = classify("--model", "tiny", "--stream", "--in-flight", "3", images.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.classifier().unaryRequests()).isEmpty();
    assertThat(server.classifier().streams()).hasSize(1);
    FakeClassifierStream stream = server.classifier().streams().get(0);
    assertThat(stream.requests())
        .hasSize(IMAGES.length)
        .extracting(ClassifyRequest::getRequestId)
        .containsExactly("0", "1", "2", "3", "4", "5", "6");
    assertThat(stream.requests())
        .flatExtracting(ClassifyRequest::getImagesList)
        .extracting(Image::getEncoded)
        .containsExactlyElementsOf(sortedFileBytes());
    assertThat(stream.maxOutstanding())
        .as("pipelined up to --in-flight, never beyond")
        .isEqualTo(3);
  }

  @Test
  void pairsOutOfOrderResponsesWithTheirFiles() throws IOException {
    server.classifier().answerStreamsInGroupsOf(4);

    CommandRun run =
        classify(
            "--model",
            "tiny",
            "--label",
            "canary",
            "--stream",
            "--in-flight",
            "4",
            images.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> answered = server.classifier().streams().get(0).answeredRequestIds();
    assertThat(answered).as("the fake really answered out of order").startsWith("3", "2", "1", "0");
    for (String image : IMAGES) {
      Path file = images.resolve(image);
      assertThat(run.outLineWith(file.toString()))
          .matches(
              ClassifyCommandTest.quoted(file)
                  + "\\s+tiny@3\\s+1\\s+bytes-"
                  + Files.size(file)
                  + "\\s+0\\.5000");
    }
  }

  @Test
  void perRequestErrorIsReportedWithItsFileAndExits1() throws IOException {
    Path broken = Files.write(images.resolve("broken.png"), "not a png".getBytes());
    server.classifier().rejectImage(ByteString.copyFrom(Files.readAllBytes(broken)));

    CommandRun run = classify("--model", "tiny", "--stream", images.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).isEqualTo(broken + ": INVALID_ARGUMENT: cannot decode image");
    assertThat(run.outLines()).filteredOn(line -> line.contains("bytes-")).hasSize(IMAGES.length);
  }

  @Test
  void perRequestErrorInJsonIsAnErrorObject() throws IOException {
    Path broken = Files.write(images.resolve("broken.png"), "not a png".getBytes());
    server.classifier().rejectImage(ByteString.copyFrom(Files.readAllBytes(broken)));

    CommandRun run = classify("--model", "tiny", "--stream", "--json", images.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.outLineWith("broken.png"))
        .endsWith("\"error\":{\"code\":\"INVALID_ARGUMENT\",\"message\":\"cannot decode image\"}}");
    assertThat(run.outLines()).hasSize(IMAGES.length + 1);
  }

  @Test
  void aBrokenStreamIsResumedWithEveryFileReportedOnce() {
    server.classifier().answerStreamsInGroupsOf(2);
    server
        .classifier()
        .breakNextStreamAfter(3, Status.UNAVAILABLE.withDescription("server shutting down"));

    CommandRun run = classify("--model", "tiny", "--stream", "--in-flight", "2", images.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.classifier().streams()).as("reconnected once").hasSize(2);
    for (String image : IMAGES) {
      assertThat(run.outLineWith(images.resolve(image).toString())).contains("bytes-");
    }
    assertThat(run.outLines()).filteredOn(line -> line.contains("bytes-")).hasSize(IMAGES.length);
  }

  @Test
  void streamCallErrorPrintsOneClearLineAndExits1() {
    server.classifier().failWith(Status.NOT_FOUND.withDescription("no model named 'nope'"));

    CommandRun run = classify("--model", "nope", "--stream", images.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).isEqualTo("classify failed: NOT_FOUND: no model named 'nope'");
    assertThat(run.out()).isEmpty();
  }

  private List<ByteString> sortedFileBytes() throws IOException {
    List<ByteString> bytes = new ArrayList<>();
    for (String image : Arrays.stream(IMAGES).sorted().toList()) {
      bytes.add(ByteString.copyFrom(Files.readAllBytes(images.resolve(image))));
    }
    return bytes;
  }

  private CommandRun classify(String... arguments) {
    return CommandRun.execute(ClassifyCommand.commandLine(server::client), arguments);
  }
}
