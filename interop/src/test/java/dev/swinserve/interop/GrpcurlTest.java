package dev.swinserve.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's way to call the server with no SDK: grpcurl, installed with {@code go install} from
 * the Go module proxy (no system package needed), driven by the server's reflection alone: list,
 * describe, health and a Classify with an image in the JSON.
 */
class GrpcurlTest {

  /** The grpcurl the README installs. */
  static final String GRPCURL = "github.com/fullstorydev/grpcurl/cmd/grpcurl@v1.9.3";

  private static Path grpcurl;
  private static ConformanceServer server;

  @BeforeAll
  static void installAndServe() throws IOException, InterruptedException {
    ConformanceEnvironment environment = ConformanceEnvironment.get();
    Path work = Files.createDirectories(environment.work().resolve("grpcurl"));
    Path bin = work.resolve("bin");
    grpcurl = bin.resolve("grpcurl");
    if (!Files.isExecutable(grpcurl)) {
      ProcessBuilder install =
          new ProcessBuilder("go", "install", GRPCURL)
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("install.log").toFile());
      install.environment().put("GOBIN", bin.toString());
      install.environment().put("GOTOOLCHAIN", "local");
      Process process = install.start();
      assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("go install in time").isTrue();
      assertThat(process.exitValue())
          .as("go install %s: %s", GRPCURL, Files.readString(work.resolve("install.log")))
          .isZero();
    }
    server = ConformanceServer.start(environment, work, 0);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void listNamesEveryServiceFromReflection() throws Exception {
    assertThat(grpcurl("", List.of(), "list"))
        .contains("swinserve.v1.Classifier")
        .contains("swinserve.v1.ModelService")
        .contains("grpc.health.v1.Health")
        .contains("inference.GRPCInferenceService")
        .contains("tensorflow.serving.PredictionService");
  }

  @Test
  void describeShowsTheRequestMessage() throws Exception {
    assertThat(grpcurl("", List.of(), "describe", "swinserve.v1.ClassifyRequest"))
        .contains("repeated .swinserve.v1.Image images = 2;")
        .contains("int32 top_k = 3;");
  }

  @Test
  void healthCheckSaysServing() throws Exception {
    assertThat(grpcurl("", List.of(), "grpc.health.v1.Health/Check"))
        .contains("\"status\": \"SERVING\"");
  }

  @Test
  void classifyTakesAnImageAsBase64InJson() throws Exception {
    ConformanceExpected expected =
        ConformanceExpected.read(ConformanceEnvironment.get().expected());
    String image =
        Base64.getEncoder().encodeToString(Files.readAllBytes(expected.images().get(0).file()));
    String answer =
        grpcurl(
            "{\"model\": {\"name\": \""
                + expected.model()
                + "\"}, \"images\": [{\"encoded\": \""
                + image
                + "\"}], \"top_k\": 2}",
            List.of("-d", "@"),
            "swinserve.v1.Classifier/Classify");

    assertThat(answer).contains("\"name\": \"" + expected.model() + "\"").contains("\"classes\"");
    assertThat(answer.split("\"label\"", -1)).hasSize(3); // two classes
  }

  /**
   * Runs {@code grpcurl -plaintext FLAGS TARGET WORDS} with {@code input} on its standard input and
   * returns what it printed.
   */
  private static String grpcurl(String input, List<String> flags, String... words)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(grpcurl.toString(), "-plaintext"));
    command.addAll(flags);
    command.add(server.target());
    command.addAll(List.of(words));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    return output;
  }
}
