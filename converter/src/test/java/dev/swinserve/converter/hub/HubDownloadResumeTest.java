package dev.swinserve.converter.hub;

import static dev.swinserve.converter.hub.HubDownloaderTest.COMMIT;
import static dev.swinserve.converter.hub.HubDownloaderTest.CONFIG;
import static dev.swinserve.converter.hub.HubDownloaderTest.FIXTURE;
import static dev.swinserve.converter.hub.HubDownloaderTest.PREPROCESSOR;
import static dev.swinserve.converter.hub.HubDownloaderTest.REPOSITORY;
import static dev.swinserve.converter.hub.HubDownloaderTest.SAFETENSORS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Dropped connections, server errors and corrupted content while fetching the weights. */
@Timeout(60)
class HubDownloadResumeTest {

  private static final Duration BACKOFF = Duration.ofMillis(10);

  @TempDir Path cache;
  private FakeHubServer hub;
  private final RecordingSleeper sleeper = new RecordingSleeper();

  @BeforeEach
  void startHub() throws IOException {
    hub = FakeHubServer.start();
    hub.publishFolder(REPOSITORY, "main", COMMIT, FIXTURE, CONFIG, PREPROCESSOR, SAFETENSORS);
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  private HubConfig config(int maxAttempts) {
    return HubConfig.fromEnvironment(Map.of(), cache)
        .withEndpoint(hub.endpoint())
        .withCacheDirectory(cache)
        .withRetries(maxAttempts, BACKOFF);
  }

  @Test
  void resumesADroppedConnectionWithARangeRequestAndDrawsProgress() throws Exception {
    hub.dropConnectionOnFirstGet(SAFETENSORS, 1_000_000);
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    ConsoleProgress progress =
        new ConsoleProgress(
            new PrintStream(terminal, true, StandardCharsets.UTF_8),
            new ManualInstantSource(),
            false);

    HubCheckpoint checkpoint = new HubDownloader(config(3), progress, sleeper).download(REPOSITORY);

    assertThat(checkpoint.weightsPath()).hasSameBinaryContentAs(FIXTURE.resolve(SAFETENSORS));
    List<Optional<String>> ranges =
        hub.requests().stream()
            .filter(request -> request.method().equals("GET") && request.file().equals(SAFETENSORS))
            .map(FakeHubServer.Request::range)
            .toList();
    assertThat(ranges).hasSize(2);
    assertThat(ranges.get(0)).isEmpty();
    assertThat(ranges.get(1))
        .hasValueSatisfying(
            range -> assertThat(range).matches("bytes=\\d+-").isNotEqualTo("bytes=0-"));
    assertThat(sleeper.waits()).containsExactly(BACKOFF);
    String drawn = terminal.toString(StandardCharsets.UTF_8);
    assertThat(drawn)
        .contains("\r" + SAFETENSORS, "100%", "warning: " + SAFETENSORS + ": connection failed")
        .endsWith(System.lineSeparator());
  }

  @Test
  void resumesThePartialFileAnEarlierRunLeft() throws Exception {
    hub.dropConnectionOnFirstGet(SAFETENSORS, 500_000);
    HubException interrupted =
        catchThrowableOfType(
            () ->
                new HubDownloader(config(1), DownloadListener.SILENT, sleeper).download(REPOSITORY),
            HubException.class);
    assertThat(interrupted.kind()).isEqualTo(HubException.Kind.TRANSFER_FAILED);
    assertThat(interrupted).hasMessageContaining("resumes");
    assertThat(filesNamed(".incomplete"))
        .singleElement()
        .satisfies(partial -> assertThat(Files.size(partial)).isPositive());

    HubCheckpoint checkpoint =
        new HubDownloader(config(1), DownloadListener.SILENT, sleeper).download(REPOSITORY);

    assertThat(checkpoint.weightsPath()).hasSameBinaryContentAs(FIXTURE.resolve(SAFETENSORS));
    assertThat(hub.requests())
        .filteredOn(request -> request.file().equals(SAFETENSORS))
        .extracting(FakeHubServer.Request::range)
        .last()
        .asString()
        .contains("bytes=");
    assertThat(filesNamed(".incomplete")).isEmpty();
  }

  @Test
  void retriesAServerErrorAndSucceeds() throws Exception {
    hub.fail("GET", SAFETENSORS, 1, 503);

    HubCheckpoint checkpoint =
        new HubDownloader(config(3), DownloadListener.SILENT, sleeper).download(REPOSITORY);

    assertThat(checkpoint.weightsPath()).hasSameBinaryContentAs(FIXTURE.resolve(SAFETENSORS));
    assertThat(hub.count("GET", SAFETENSORS)).isEqualTo(2);
  }

  @Test
  void givesUpAfterTheLastAttemptWithDoublingWaits() {
    hub.fail("GET", SAFETENSORS, Integer.MAX_VALUE, 500);

    HubException failure =
        catchThrowableOfType(
            () ->
                new HubDownloader(config(3), DownloadListener.SILENT, sleeper).download(REPOSITORY),
            HubException.class);

    assertThat(failure.kind()).isEqualTo(HubException.Kind.TRANSFER_FAILED);
    assertThat(failure)
        .hasMessageContaining(SAFETENSORS)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("3 attempts");
    assertThat(hub.count("GET", SAFETENSORS)).isEqualTo(3);
    assertThat(sleeper.waits()).containsExactly(BACKOFF, BACKOFF.multipliedBy(2));
  }

  @Test
  void reportsAServerErrorOnTheMetadataRequest() {
    hub.fail("HEAD", CONFIG, 1, 500);

    HubException failure =
        catchThrowableOfType(
            () ->
                new HubDownloader(config(3), DownloadListener.SILENT, sleeper).download(REPOSITORY),
            HubException.class);

    assertThat(failure.kind()).isEqualTo(HubException.Kind.OTHER);
    assertThat(failure).hasMessageContaining("HTTP 500").hasMessageContaining(CONFIG);
  }

  @Test
  void sha256MismatchFailsAndLeavesNoFileInPlace() throws Exception {
    hub.serveCorrupted(SAFETENSORS);
    byte[] original = Files.readAllBytes(FIXTURE.resolve(SAFETENSORS));

    HubException failure =
        catchThrowableOfType(
            () ->
                new HubDownloader(config(3), DownloadListener.SILENT, sleeper).download(REPOSITORY),
            HubException.class);

    assertThat(failure.kind()).isEqualTo(HubException.Kind.INTEGRITY);
    assertThat(failure)
        .hasMessageContaining(SAFETENSORS)
        .hasMessageContaining("expected " + FakeHubServer.sha256(original))
        .hasMessageContaining("got " + FakeHubServer.sha256(FakeHubServer.corrupt(original)));
    assertThat(filesNamed(".incomplete")).isEmpty();
    assertThat(filesNamed(SAFETENSORS)).isEmpty();
    assertThat(filesNamed(FakeHubServer.sha256(original))).isEmpty();
  }

  private List<Path> filesNamed(String suffix) throws IOException {
    try (Stream<Path> files = Files.walk(cache)) {
      return files
          .filter(Files::isRegularFile)
          .filter(file -> file.getFileName().toString().endsWith(suffix))
          .toList();
    }
  }
}
