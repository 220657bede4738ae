package dev.swinserve.launcher.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.bench.harness.ServerUnderTest;
import dev.swinserve.client.ModelServiceClient;
import dev.swinserve.converter.ModelSources;
import dev.swinserve.converter.export.ModelRepositoryWriter;
import dev.swinserve.format.testing.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code swinserve serve} as the script runs it: its own JVM, with the launcher's main class. */
class ServeCommandTest {

  @TempDir Path work;

  @Test
  void servesTheRepositoryAndExitsZeroOnSigterm() throws Exception {
    Path repository = work.resolve("models");
    ModelRepositoryWriter.write(
        repository,
        "mini",
        OptionalLong.of(1),
        ModelSources.fromCheckpoint(
            Fixtures.checkpoint("swinv2-mini-window4"), "fixture:swinv2-mini-window4"));
    Path portFile = work.resolve("port");
    Path httpPortFile = work.resolve("http-port");
    Process process =
        serve(
            "--model-repository",
            repository.toString(),
            "--port",
            "0",
            "--port-file",
            portFile.toString(),
            "--http-port",
            "0",
            "--http-port-file",
            httpPortFile.toString());
    try {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> Files.exists(portFile) || !process.isAlive());
      assertThat(process.isAlive()).as("server alive; log:\n%s", log()).isTrue();
      ModelServiceClient models =
          ModelServiceClient.connect("127.0.0.1:" + Files.readString(portFile).trim());
      try {
        assertThat(models.listModels(Duration.ofSeconds(10)))
            .extracting(ModelStatus::getName)
            .containsExactly("mini");
      } finally {
        models.close();
      }
      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + Files.readString(httpPortFile).trim()
                                  + "/v2/models/mini/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as("KServe v2 over HTTP: mini ready").isEqualTo(200);
      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("exit code after SIGTERM; log:\n%s", log()).isZero();
      assertThat(log()).contains("swinserve: serving " + repository, "swinserve: stopped");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void aBadConfigEndsTheCommandWithItsReasonAndExitCodeOne() throws Exception {
    Path config = Files.writeString(work.resolve("server.yaml"), "no_such_key: 1\n");
    Process process = serve("--config", config.toString(), "--model-repository", work.toString());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(log()).contains("serve failed: ", "no_such_key");
  }

  @Test
  void helpListsTheOptions() {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new ServeCommand());
    command.setOut(new PrintWriter(out, true));
    assertThat(command.execute("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--config",
            "--model-repository",
            "--host",
            "--port",
            "--port-file",
            "--http-port",
            "--http-port-file");
  }

  @Test
  void theBenchmarksStartThisCommand() {
    assertThat(ServerUnderTest.SERVE_COMMAND).isEqualTo(ServeCommand.class.getName());
  }

  private Process serve(String... arguments) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                ServeCommand.class.getName()));
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("serve.log").toFile())
        .start();
  }

  private String log() throws IOException {
    return Files.readString(work.resolve("serve.log"));
  }
}
