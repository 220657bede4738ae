package dev.swinserve.launcher.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.PixelTensor;
import dev.swinserve.bench.load.plot.TimelinePlots;
import dev.swinserve.client.ClientChannels;
import dev.swinserve.client.testing.FakeServer;
import dev.swinserve.client.testing.FixtureImages;
import io.grpc.Status;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench} against an in-process fake server; short runs by request count. */
class BenchCommandTest {

  @TempDir Path temp;

  private final FakeServer server = new FakeServer();
  private Path images;

  @BeforeEach
  void copyImages() throws IOException {
    images = FixtureImages.copy(temp.resolve("images"), "rocket.jpg", "chelsea.png");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void printsWhatRanThroughputAndLatencyPercentiles() {
    CommandRun run =
        bench(
            "--model",
            "tiny",
            "--label",
            "canary",
            "--requests",
            "12",
            "--warmup",
            "0",
            "--concurrency",
            "2",
            images.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.targets()).containsExactly(ClientChannels.DEFAULT_TARGET);
    assertThat(server.classifier().unaryRequests())
        .hasSize(12)
        .allMatch(
            request ->
                request
                    .getModel()
                    .equals(ModelSpec.newBuilder().setName("tiny").setLabel("canary").build()));
    assertThat(run.outLineWith("model")).matches("model\\s+tiny@canary");
    assertThat(run.outLineWith("load")).matches("load\\s+unary, closed loop, 2 callers");
    assertThat(run.outLineWith("answered")).contains("12 answered: 12 succeeded, 0 failed");
    assertThat(run.outLineWith("throughput"))
        .matches("throughput\\s+[0-9.]+ requests/s, [0-9.]+ images/s over .*");
    assertThat(run.outLineWith("p50"))
        .matches("latency \\(ms\\)\\s+p50\\s+p90\\s+p99\\s+max\\s+mean");
    assertThat(run.outLineAfter("p50")).matches("from send(\\s+\\d+\\.\\d{3}){5}");
    assertThat(run.out()).doesNotContain("error");
    assertThat(run.err())
        .contains(
            "bench: unary, closed loop, 2 callers against "
                + ClientChannels.DEFAULT_TARGET
                + ", 12 requests");
  }

  @Test
  void errorsAreListedByCodeWithTheFirstMessage() {
    server.classifier().failEvery(3, Status.RESOURCE_EXHAUSTED.withDescription("queue full"));

    CommandRun run =
        bench(
            "--model",
            "tiny",
            "--requests",
            "9",
            "--warmup",
            "0",
            "--max-error-rate",
            "0.5",
            images.toString());

    assertThat(run.exitCode()).as("a third failed, under the 50%% allowed").isZero();
    assertThat(run.outLineWith("answered")).contains("9 answered: 6 succeeded, 3 failed");
    assertThat(run.outLineWith("first message")).matches("error\\s+count\\s+first message");
    assertThat(run.outLineWith("RESOURCE_EXHAUSTED"))
        .matches("RESOURCE_EXHAUSTED\\s+3\\s+queue full");
  }

  @Test
  void nothingSucceedingExits1() {
    server.classifier().failWith(Status.NOT_FOUND.withDescription("no model named 'nope'"));

    CommandRun run =
        bench("--model", "nope", "--requests", "4", "--warmup", "0", images.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.outLineWith("NOT_FOUND")).matches("NOT_FOUND\\s+4\\s+no model named 'nope'");
    assertThat(run.err()).contains("bench: no measured request succeeded");
  }

  @Test
  void moreFailuresThanTheMaxErrorRateExits1() {
    server.classifier().failEvery(50, Status.RESOURCE_EXHAUSTED.withDescription("queue full"));

    CommandRun byDefault =
        bench("--model", "tiny", "--requests", "100", "--warmup", "0", images.toString());
    CommandRun lenient =
        bench(
            "--model",
            "tiny",
            "--requests",
            "100",
            "--warmup",
            "0",
            "--max-error-rate",
            "0.02",
            images.toString());

    assertThat(byDefault.exitCode()).as("2%% failed, over the default 1%%").isEqualTo(1);
    assertThat(byDefault.err())
        .contains(
            "bench: 2 of 100 measured requests failed (2.00%), more than --max-error-rate 0.01 allows");
    assertThat(lenient.exitCode()).as(lenient.err()).isZero();
  }

  @Test
  void aDeadServerIsBackedOffNotHammeredAndExits1() throws IOException {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = socket.getLocalPort();
    }
    Path json = temp.resolve("dead.json");

    CommandRun run =
        CommandRun.execute(
            BenchCommand.commandLine(ClientChannels::plaintext),
            "--model",
            "tiny",
            "--target",
            "127.0.0.1:" + deadPort,
            "--duration",
            "2",
            "--warmup",
            "0",
            "--concurrency",
            "4",
            "--json",
            json.toString(),
            images.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    JsonNode result = new ObjectMapper().readTree(json.toFile());
    // Each caller waits 50, 100, 200, 400, 800 ms, then 1 s between calls: a handful in 2 s
    // (without backing off, hundreds of thousands).
    assertThat(result.get("failed").asLong())
        .as("calls to a dead server in 2 s by 4 callers")
        .isPositive()
        .isLessThanOrEqualTo(4 * 10);
    assertThat(result.at("/errors/UNAVAILABLE/count").asLong())
        .as(result.toString())
        .isEqualTo(result.get("failed").asLong());
  }

  @Test
  void writesJsonAndPlotsWhenAsked() throws IOException {
    Path json = temp.resolve("result.json");
    Path png = temp.resolve("latency.png");
    Path html = temp.resolve("latency.html");

    CommandRun first =
        bench(
            "--model",
            "tiny",
            "--requests",
            "10",
            "--warmup",
            "0",
            "--json",
            json.toString(),
            "--plot",
            png.toString(),
            images.toString());
    CommandRun second =
        bench(
            "--model",
            "tiny",
            "--requests",
            "5",
            "--warmup",
            "0",
            "--plot",
            html.toString(),
            images.resolve("rocket.jpg").toString());

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    JsonNode result = new ObjectMapper().readTree(json.toFile());
    assertThat(result.get("requests").asLong()).isEqualTo(10);
    assertThat(result.at("/parameters/images")).hasSize(2);
    assertThat(result.at("/latency_us/p99").asLong()).isPositive();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(TimelinePlots.WIDTH);
    assertThat(image.getHeight()).isEqualTo(TimelinePlots.HEIGHT);
    assertThat(Files.readString(html)).contains("<svg");
  }

  @Test
  void streamModeAndPixelInputReachTheServer() {
    server.classifier().answerStreamsInGroupsOf(1);

    CommandRun run =
        bench(
            "--model",
            "tiny",
            "--mode",
            "stream",
            "--concurrency",
            "2",
            "--in-flight",
            "3",
            "--input",
            "PIXELS",
            "--pixel-size",
            "8",
            "--batch",
            "2",
            "--requests",
            "6",
            "--warmup",
            "0");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.classifier().streams()).hasSize(2);
    ClassifyRequest request = server.classifier().streams().get(0).requests().get(0);
    assertThat(request.getImagesList()).hasSize(2);
    PixelTensor tensor = request.getImages(0).getPixels();
    assertThat(tensor.getValuesCount()).isEqualTo(8 * 8 * 3);
    assertThat(run.outLineWith("input")).matches("input\\s+8x8 pixels, batch 2");
  }

  @Test
  void openLoopReportsDroppedRequests() {
    CommandRun run =
        bench(
            "--model",
            "tiny",
            "--rate",
            "200",
            "--requests",
            "10",
            "--warmup",
            "0",
            images.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLineWith("load")).contains("unary, open loop, 200 requests/s");
    assertThat(run.outLineWith("answered")).contains("answered", "dropped (outstanding bound hit)");
    assertThat(run.outLineAfter("p50")).startsWith("from scheduled send");
  }

  @Test
  void badOptionsAreUsageErrorsBeforeAnyChannelIsOpened() {
    String image = images.resolve("rocket.jpg").toString();

    assertThat(bench("--model", "tiny").err())
        .contains("encoded input needs at least one image file");
    assertThat(bench("--model", "tiny", "--duration", "1", "--requests", "5", image).exitCode())
        .isEqualTo(2);
    assertThat(bench("--model", "tiny", "--concurrency", "0", image).err())
        .contains("concurrency must be at least 1, was 0");
    assertThat(bench("--model", "tiny", "--duration", "0", image).err())
        .contains("--duration must be positive");
    assertThat(bench("--model", "tiny", "--requests", "0", image).err())
        .contains("--requests must be at least 1");
    assertThat(bench("--model", "tiny", "--plot", "out.jpg", image).err())
        .contains(".png or .html");
    assertThat(bench("--model", "tiny", "--input", "pixels", image).err()).contains("not IMAGES");
    assertThat(bench("--model", "tiny", "--mode", "batch", image).exitCode()).isEqualTo(2);
    assertThat(bench("--model", "tiny", "--max-error-rate", "1.5", image).err())
        .contains("--max-error-rate must be between 0 and 1, was 1.5");
    assertThat(bench("--model", "tiny", temp.resolve("gone.png").toString()).err())
        .contains("no such file or folder");
    assertThat(server.targets()).isEmpty();
  }

  private CommandRun bench(String... arguments) {
    return CommandRun.execute(BenchCommand.commandLine(server::channel), arguments);
  }
}
