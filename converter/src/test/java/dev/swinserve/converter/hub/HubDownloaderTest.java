package dev.swinserve.converter.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.format.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Downloads that succeed: layout, fallbacks, caching and offline use. */
@Timeout(60)
class HubDownloaderTest {

  static final String REPOSITORY = "microsoft/swinv2-tiny-patch4-window8-256";
  static final String COMMIT = "a".repeat(40);
  static final String NEWER_COMMIT = "b".repeat(40);
  static final String PULL_REQUEST_COMMIT = "c".repeat(40);
  static final Path FIXTURE = Fixtures.checkpoint("swinv2-mini-window4");
  static final String CONFIG = "config.json";
  static final String PREPROCESSOR = "preprocessor_config.json";
  static final String SAFETENSORS = "model.safetensors";
  static final String PYTORCH = "pytorch_model.bin";

  @TempDir Path cache;
  @TempDir Path home;
  private FakeHubServer hub;
  private final RecordingListener listener = new RecordingListener();

  @BeforeEach
  void startHub() throws IOException {
    hub = FakeHubServer.start();
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  private HubDownloader downloader() {
    HubConfig config =
        HubConfig.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint().toString()), home)
            .withCacheDirectory(cache);
    return new HubDownloader(config, listener, new RecordingSleeper());
  }

  @Test
  void downloadsConfigPreprocessorConfigAndSafetensorsByteForByte() throws Exception {
    hub.publishFolder(REPOSITORY, "main", COMMIT, FIXTURE, CONFIG, PREPROCESSOR, SAFETENSORS);

    HubCheckpoint checkpoint = downloader().download(REPOSITORY);

    for (String file : new String[] {CONFIG, PREPROCESSOR, SAFETENSORS}) {
      assertThat(checkpoint.directory().resolve(file))
          .hasSameBinaryContentAs(FIXTURE.resolve(file));
      assertThat(checkpoint.source(file).commit()).isEqualTo(COMMIT);
      assertThat(checkpoint.source(file).revision()).isEqualTo("main");
    }
    assertThat(checkpoint.weightsPath()).isEqualTo(checkpoint.directory().resolve(SAFETENSORS));
    assertThat(checkpoint.directory()).isDirectoryNotContaining("glob:**/" + PYTORCH);
    assertThat(checkpoint.offline()).isFalse();
    assertThat(listener.finished()).containsExactly(CONFIG, PREPROCESSOR, SAFETENSORS);
  }

  @Test
  void escapesTheRevisionAsOnePathSegment() throws Exception {
    hub.publishFolder(REPOSITORY, "refs/pr/7", COMMIT, FIXTURE, CONFIG, PREPROCESSOR, SAFETENSORS);

    HubCheckpoint checkpoint = downloader().download(REPOSITORY, "refs/pr/7");

    assertThat(hub.requests())
        .extracting(FakeHubServer.Request::rawPath)
        .contains("/" + REPOSITORY + "/resolve/refs%2Fpr%2F7/" + CONFIG);
    assertThat(checkpoint.weightsPath()).hasSameBinaryContentAs(FIXTURE.resolve(SAFETENSORS));
  }

  @Test
  void fallsBackToSafetensorsOnTheConversionPullRequest() throws Exception {
    hub.publishFolder(REPOSITORY, "main", COMMIT, FIXTURE, CONFIG, PREPROCESSOR, PYTORCH);
    hub.publishFolder(REPOSITORY, "refs/pr/1", PULL_REQUEST_COMMIT, FIXTURE, SAFETENSORS);

    HubCheckpoint checkpoint = downloader().download(REPOSITORY);

    assertThat(checkpoint.weights())
        .isEqualTo(
            new HubCheckpoint.FileSource(SAFETENSORS, "refs/pr/1", PULL_REQUEST_COMMIT, false));
    assertThat(checkpoint.weightsPath()).hasSameBinaryContentAs(FIXTURE.resolve(SAFETENSORS));
    assertThat(hub.count("GET", PYTORCH)).isZero();
  }

  @Test
  void fallsBackToPytorchWeightsWhenNoRevisionHasSafetensors() throws Exception {
    // No refs/pr/1 at all: the hub answers RevisionNotFound, which also means "try the next one".
    hub.publishFolder(REPOSITORY, "main", COMMIT, FIXTURE, CONFIG, PREPROCESSOR, PYTORCH);

    HubCheckpoint checkpoint = downloader().download(REPOSITORY);

    assertThat(checkpoint.weights())
        .isEqualTo(new HubCheckpoint.FileSource(PYTORCH, "main", COMMIT, false));
    assertThat(checkpoint.directory().resolve(PYTORCH))
        .hasSameBinaryContentAs(FIXTURE.resolve(PYTORCH));
    assertThat(checkpoint.directory()).isDirectoryNotContaining("glob:**/" + SAFETENSORS);
  }

  @Test
  void secondDownloadIsServedFromTheCache() throws Exception {
    hub.publishFolder(REPOSITORY, "main", COMMIT, FIXTURE, CONFIG, PREPROCESSOR, SAFETENSORS);
    downloader().download(REPOSITORY);

    HubCheckpoint again = downloader().download(REPOSITORY);

    assertThat(hub.count("GET", SAFETENSORS)).isEqualTo(1);
    assertThat(hub.count("GET", CONFIG)).isEqualTo(1);
    assertThat(again.files()).allMatch(HubCheckpoint.FileSource::cached);
    assertThat(again.weightsPath()).hasSameBinaryContentAs(FIXTURE.resolve(SAFETENSORS));
  }

  @Test
  void fetchesAgainWhenTheBranchMovedToOtherWeights() throws Exception {
    hub.publishFolder(REPOSITORY, "main", COMMIT, FIXTURE, CONFIG, PREPROCESSOR, SAFETENSORS);
    downloader().download(REPOSITORY);
    Path otherWeights = Fixtures.checkpoint("swinv2-mini-window4to3").resolve(SAFETENSORS);
    hub.publish(REPOSITORY, "main", NEWER_COMMIT, SAFETENSORS, Files.readAllBytes(otherWeights));

    HubCheckpoint moved = downloader().download(REPOSITORY);

    assertThat(hub.count("GET", SAFETENSORS)).isEqualTo(2);
    assertThat(moved.weights().commit()).isEqualTo(NEWER_COMMIT);
    assertThat(moved.weightsPath()).hasSameBinaryContentAs(otherWeights);
    assertThat(moved.source(CONFIG).cached()).as("config.json did not change").isTrue();
  }

  @Test
  void aCachedCommitNeedsNoRequestAtAll() throws Exception {
    hub.publishFolder(REPOSITORY, "main", COMMIT, FIXTURE, CONFIG, PREPROCESSOR, SAFETENSORS);
    downloader().download(REPOSITORY, COMMIT);
    int requestsBefore = hub.requests().size();

    HubCheckpoint pinned = downloader().download(REPOSITORY, COMMIT);

    assertThat(hub.requests()).hasSize(requestsBefore);
    assertThat(pinned.weightsPath()).hasSameBinaryContentAs(FIXTURE.resolve(SAFETENSORS));
  }

  @Test
  void usesTheCachedCopyWithAWarningWhenTheHubIsUnreachable() throws Exception {
    hub.publishFolder(REPOSITORY, "main", COMMIT, FIXTURE, CONFIG, PREPROCESSOR, SAFETENSORS);
    HubDownloader downloader = downloader();
    downloader.download(REPOSITORY);
    hub.close();

    HubCheckpoint offline = downloader.download(REPOSITORY);

    assertThat(offline.offline()).isTrue();
    assertThat(offline.weights().commit()).isEqualTo(COMMIT);
    assertThat(offline.weightsPath()).hasSameBinaryContentAs(FIXTURE.resolve(SAFETENSORS));
    assertThat(listener.warnings())
        .singleElement()
        .asString()
        .contains("unreachable", hub.endpoint().toString(), "cached");
  }
}
