package dev.swinserve.converter.hub;

import static dev.swinserve.converter.hub.HubDownloaderTest.COMMIT;
import static dev.swinserve.converter.hub.HubDownloaderTest.CONFIG;
import static dev.swinserve.converter.hub.HubDownloaderTest.FIXTURE;
import static dev.swinserve.converter.hub.HubDownloaderTest.PREPROCESSOR;
import static dev.swinserve.converter.hub.HubDownloaderTest.REPOSITORY;
import static dev.swinserve.converter.hub.HubDownloaderTest.SAFETENSORS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the user is told when a download cannot succeed, and how the environment is honored. */
@Timeout(60)
class HubDownloadErrorTest {

  @TempDir Path cache;
  @TempDir Path home;
  private FakeHubServer hub;
  private final RecordingSleeper sleeper = new RecordingSleeper();

  @BeforeEach
  void startHub() throws IOException {
    hub = FakeHubServer.start();
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  private HubException failureOf(Map<String, String> environment, String revision) {
    HubConfig config = HubConfig.fromEnvironment(environment, home).withCacheDirectory(cache);
    return catchThrowableOfType(
        () ->
            new HubDownloader(config, DownloadListener.SILENT, sleeper)
                .download(REPOSITORY, revision),
        HubException.class);
  }

  private Map<String, String> endpointOnly() {
    return Map.of("HF_ENDPOINT", hub.endpoint().toString());
  }

  @Test
  void unknownRepositoryNamesTheRepositoryAndTheEndpoint() {
    HubException failure = failureOf(endpointOnly(), "main");

    assertThat(failure.kind()).isEqualTo(HubException.Kind.REPOSITORY_NOT_FOUND);
    assertThat(failure)
        .hasMessageContaining(REPOSITORY)
        .hasMessageContaining(hub.endpoint().toString())
        .hasMessageContaining("HF_TOKEN");
  }

  @Test
  void unknownRevisionIsNamed() {
    hub.publishFolder(REPOSITORY, "main", COMMIT, FIXTURE, CONFIG, PREPROCESSOR, SAFETENSORS);

    HubException failure = failureOf(endpointOnly(), "v9.9");

    assertThat(failure.kind()).isEqualTo(HubException.Kind.REVISION_NOT_FOUND);
    assertThat(failure).hasMessageContaining("'v9.9'").hasMessageContaining(REPOSITORY);
  }

  @Test
  void missingWeightsListWhatWasTried() {
    hub.publishFolder(REPOSITORY, "main", COMMIT, FIXTURE, CONFIG, PREPROCESSOR);

    HubException failure = failureOf(endpointOnly(), "main");

    assertThat(failure.kind()).isEqualTo(HubException.Kind.ENTRY_NOT_FOUND);
    assertThat(failure)
        .hasMessageContaining("model.safetensors at 'main'")
        .hasMessageContaining("model.safetensors at 'refs/pr/1'")
        .hasMessageContaining("pytorch_model.bin at 'main'");
  }

  @Test
  void sendsHfTokenAsBearerTokenToTheHubButNotToTheCdn() throws Exception {
    hub.publishFolder(REPOSITORY, "main", COMMIT, FIXTURE, CONFIG, PREPROCESSOR, SAFETENSORS);
    hub.requireToken("hf_secret");
    HubConfig config =
        HubConfig.fromEnvironment(
                Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_TOKEN", "hf_secret"), home)
            .withCacheDirectory(cache);

    HubCheckpoint checkpoint =
        new HubDownloader(config, DownloadListener.SILENT, sleeper).download(REPOSITORY);

    assertThat(checkpoint.weightsPath()).hasSameBinaryContentAs(FIXTURE.resolve(SAFETENSORS));
    assertThat(hub.requests())
        .filteredOn(request -> request.server().equals("hub"))
        .isNotEmpty()
        .allSatisfy(request -> assertThat(request.authorization()).hasValue("Bearer hf_secret"));
    assertThat(hub.requests())
        .filteredOn(request -> request.server().equals("cdn"))
        .isNotEmpty()
        .allSatisfy(request -> assertThat(request.authorization()).isEmpty());
  }

  @Test
  void gatedRepositoryWithoutTokenSaysToSetHfToken() {
    hub.publishFolder(REPOSITORY, "main", COMMIT, FIXTURE, CONFIG, PREPROCESSOR, SAFETENSORS);
    hub.requireToken("hf_secret");

    HubException failure = failureOf(endpointOnly(), "main");

    assertThat(failure.kind()).isEqualTo(HubException.Kind.ACCESS_DENIED);
    assertThat(failure).hasMessageContaining("gated").hasMessageContaining("set HF_TOKEN");
  }

  @Test
  void honorsHfEndpointAndSwinserveCache() throws Exception {
    hub.publishFolder(REPOSITORY, "main", COMMIT, FIXTURE, CONFIG, PREPROCESSOR, SAFETENSORS);
    Map<String, String> environment =
        Map.of("HF_ENDPOINT", hub.endpoint() + "/", "SWINSERVE_CACHE", cache.toString());

    HubCheckpoint checkpoint =
        new HubDownloader(
                HubConfig.fromEnvironment(environment, home), DownloadListener.SILENT, sleeper)
            .download(REPOSITORY);

    assertThat(hub.count("HEAD", CONFIG)).isEqualTo(1);
    assertThat(checkpoint.directory()).startsWith(cache.resolve("hub"));
  }

  @Test
  void unreachableEndpointFailsPromptlyNamingIt() throws IOException {
    URI closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    HubConfig config =
        HubConfig.fromEnvironment(Map.of("HF_ENDPOINT", closed.toString()), home)
            .withCacheDirectory(cache)
            .withConnectTimeout(Duration.ofSeconds(2));

    // A generous bound: the point is no retry loop with waits, not the speed of the failure.
    HubException failure =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () ->
                catchThrowableOfType(
                    () ->
                        new HubDownloader(config, DownloadListener.SILENT, sleeper)
                            .download(REPOSITORY),
                    HubException.class));

    assertThat(failure.kind()).isEqualTo(HubException.Kind.UNREACHABLE);
    assertThat(failure)
        .hasMessageContaining("unreachable at " + closed)
        .hasMessageContaining("connection refused")
        .hasMessageContaining("no complete copy");
    assertThat(sleeper.waits()).isEmpty();
  }
}
