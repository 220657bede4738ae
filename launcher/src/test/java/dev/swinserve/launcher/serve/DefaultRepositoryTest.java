package dev.swinserve.launcher.serve;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.converter.hub.FakeHubServer;
import dev.swinserve.format.metadata.ModelMetadata;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.registry.ModelConfig;
import dev.swinserve.registry.ModelConfigReader;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.routing.Endpoint;
import dev.swinserve.server.routing.EndpointsFileReader;
import dev.swinserve.server.routing.ModelTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository a server started without one makes: two variants in two labelled versions and an
 * endpoint over them, from a hub on loopback (serving the mini fixtures under the variants' names,
 * which convert in seconds) or, when no hub answers, from demo weights; made all or nothing. The
 * content tests share one preparation.
 */
@Timeout(300)
class DefaultRepositoryTest {

  private static final String WINDOW8 = DefaultRepository.MODELS.get(0);
  private static final String WINDOW16 = DefaultRepository.MODELS.get(1);
  private static final String COMMIT = "a".repeat(40);
  private static final String CONFIG = "config.json";
  private static final String PREPROCESSOR = "preprocessor_config.json";
  private static final String WEIGHTS = "model.safetensors";
  private static final Path METADATA = Path.of("assets", ModelMetadata.FILE_NAME);

  @TempDir static Path sharedHome;
  private static FakeHubServer sharedHub;
  private static final ByteArrayOutputStream sharedLog = new ByteArrayOutputStream();
  private static Path repository;

  @BeforeAll
  static void prepareOnceFromTheHub() throws IOException {
    sharedHub = FakeHubServer.start();
    publishBothVariants(sharedHub);
    repository = prepare(sharedHome, sharedHub.endpoint().toString(), sharedLog);
  }

  @AfterAll
  static void stopHub() {
    sharedHub.close();
  }

  @Test
  void holdsBothVariantsInVersionsLabelledStableAndCanary() {
    assertThat(repository).isEqualTo(sharedHome.resolve("models"));
    assertThat(sharedLog.toString(UTF_8)).contains("preparing the default one in " + repository);
    assertThat(children(repository)).containsExactlyInAnyOrder(WINDOW8, WINDOW16, "endpoints.yaml");
    for (String model : DefaultRepository.MODELS) {
      assertThat(children(repository.resolve(model)))
          .containsExactlyInAnyOrder("1", "2", "model.yaml");
      assertThat(repository.resolve(model).resolve("1").resolve("saved_model.pb")).isRegularFile();
      ModelConfig config = ModelConfigReader.read(repository.resolve(model).resolve("model.yaml"));
      assertThat(config.labels()).isEqualTo(Map.of("stable", 1L, "canary", 2L));
      assertThat(config.versionPolicy().select(List.of(1L, 2L))).containsExactlyInAnyOrder(1L, 2L);
      assertThat(
              ModelMetadata.read(repository.resolve(model).resolve("1").resolve(METADATA)).source())
          .isEqualTo("hub:microsoft/" + model + "@main");
    }
    assertThat(children(sharedHome))
        .as("no staging folder left")
        .containsExactlyInAnyOrder("cache", "models");
  }

  @Test
  void itsEndpointSplitsBetweenTheStableVersionsAndShadowsToACanary() throws IOException {
    List<Endpoint> endpoints =
        EndpointsFileReader.parse(Files.readString(repository.resolve("endpoints.yaml")));

    assertThat(endpoints)
        .containsExactly(
            new Endpoint(
                DefaultRepository.ENDPOINT,
                List.of(
                    new Endpoint.Arm(target(WINDOW8, "stable"), 70),
                    new Endpoint.Arm(target(WINDOW16, "stable"), 30)),
                List.of(new Endpoint.Shadow(target(WINDOW8, "canary"), 1.0))));
    for (ModelTarget target :
        List.of(target(WINDOW8, "stable"), target(WINDOW16, "stable"), target(WINDOW8, "canary"))) {
      VersionSelector.Label label = (VersionSelector.Label) target.version();
      assertThat(
              ModelConfigReader.read(repository.resolve(target.model()).resolve("model.yaml"))
                  .labels())
          .as("labels of %s", target.model())
          .containsKey(label.label());
    }
  }

  @Test
  void theCanaryIsACopyOfTheStableVersionNotASecondConversion() throws IOException {
    for (String model : DefaultRepository.MODELS) {
      Path stable = repository.resolve(model).resolve("1");
      Path canary = repository.resolve(model).resolve("2");
      List<Path> files = files(stable);
      assertThat(files(canary))
          .containsExactlyInAnyOrderElementsOf(files)
          .contains(Path.of("saved_model.pb"));
      for (Path file : files) {
        assertThat(canary.resolve(file)).hasSameBinaryContentAs(stable.resolve(file));
        // A copy keeps the modification time to the microsecond (what Java's copy sets); a second
        // conversion would write the file anew.
        assertThat(modified(canary.resolve(file)))
            .as("%s of %s was copied, modification time and all, not written again", file, model)
            .isEqualTo(modified(stable.resolve(file)));
      }
    }
  }

  @Test
  void aSecondStartKeepsTheRepositoryItFinds() {
    int requests = sharedHub.requests().size();
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    assertThat(prepare(sharedHome, sharedHub.endpoint().toString(), log)).isEqualTo(repository);

    assertThat(sharedHub.requests()).hasSize(requests);
    assertThat(log.toString(UTF_8)).isEmpty();
  }

  @Test
  void aFailedPreparationLeavesNoRepository(@TempDir Path home) throws IOException {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (FakeHubServer hub = FakeHubServer.start()) {
      publish(hub, WINDOW8, Fixtures.checkpoint("swinv2-mini-window4"));
      // The second variant downloads, but its weights belong to another architecture: the first
      // variant is complete by the time its conversion fails.
      hub.publishFolder(
          "microsoft/" + WINDOW16,
          "main",
          COMMIT,
          Fixtures.checkpoint("swinv2-mini-window4"),
          CONFIG,
          PREPROCESSOR);
      hub.publishFolder(
          "microsoft/" + WINDOW16,
          "main",
          COMMIT,
          Fixtures.checkpoint("swinv2-mini-96-window6"),
          WEIGHTS);

      assertThatThrownBy(() -> prepare(home, hub.endpoint().toString(), log))
          .hasMessageContaining("does not match the config");
    }

    assertThat(log.toString(UTF_8)).contains("converting " + WINDOW16);
    assertThat(children(home)).as("no repository and no staging folder").containsExactly("cache");
  }

  @Test
  void fillsAnEmptyFolderAndDeletesWhatAKilledFirstStartLeft(@TempDir Path home)
      throws IOException {
    Files.createDirectories(home.resolve("models"));
    Path leftover =
        Files.createDirectories(home.resolve(".staging-models-123").resolve(WINDOW8).resolve("1"));
    Files.writeString(leftover.resolve("saved_model.pb"), "half written");
    Path prepared;
    try (FakeHubServer hub = FakeHubServer.start()) {
      publishBothVariants(hub);

      prepared = prepare(home, hub.endpoint().toString(), new ByteArrayOutputStream());
    }

    assertThat(children(home)).containsExactlyInAnyOrder("cache", "models");
    assertThat(children(prepared)).containsExactlyInAnyOrder(WINDOW8, WINDOW16, "endpoints.yaml");
  }

  @Test
  void refusesAFolderThatHoldsFilesButNoModel(@TempDir Path home) throws IOException {
    Path notes =
        Files.writeString(
            Files.createDirectories(home.resolve("models")).resolve("notes.txt"), "mine");
    try (FakeHubServer hub = FakeHubServer.start()) {

      assertThatThrownBy(
              () -> prepare(home, hub.endpoint().toString(), new ByteArrayOutputStream()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not empty");

      assertThat(hub.requests()).isEmpty();
    }
    assertThat(notes).hasContent("mine");
  }

  /** Slow: two SwinV2-T conversions (seconds each on two idle cores, minutes on a busy machine). */
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void seedsDemoWeightsWhenNoHubAnswers(@TempDir Path home) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    // Port 1 (tcpmux) is closed on any test machine: the connection is refused at once.
    Path demo = prepare(home, "http://127.0.0.1:1", log);

    assertThat(log.toString(UTF_8)).contains("SEEDED DEMO WEIGHTS");
    for (String model : DefaultRepository.MODELS) {
      assertThat(children(demo.resolve(model))).containsExactlyInAnyOrder("1", "2", "model.yaml");
      for (String version : List.of("1", "2")) {
        ModelMetadata metadata =
            ModelMetadata.read(demo.resolve(model).resolve(version).resolve(METADATA));
        assertThat(metadata.demoWeights()).as("%s version %s", model, version).isTrue();
        assertThat(metadata.source()).isEqualTo("preset:" + model);
      }
    }
  }

  private static Path prepare(Path home, String hubEndpoint, ByteArrayOutputStream log) {
    Map<String, String> environment =
        Map.of(
            "HF_ENDPOINT",
            hubEndpoint,
            "SWINSERVE_CACHE",
            home.resolve("cache").toString(),
            "SWINSERVE_HOME",
            home.toString());
    return DefaultRepository.prepare(
        DefaultRepository.location(environment), environment, new PrintStream(log, true, UTF_8));
  }

  private static void publishBothVariants(FakeHubServer hub) {
    publish(hub, WINDOW8, Fixtures.checkpoint("swinv2-mini-window4"));
    publish(hub, WINDOW16, Fixtures.checkpoint("swinv2-mini-96-window6"));
  }

  private static void publish(FakeHubServer hub, String model, Path checkpoint) {
    hub.publishFolder(
        "microsoft/" + model, "main", COMMIT, checkpoint, CONFIG, PREPROCESSOR, WEIGHTS);
  }

  private static Instant modified(Path file) throws IOException {
    return Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.MICROS);
  }

  private static ModelTarget target(String model, String label) {
    return new ModelTarget(model, VersionSelector.label(label));
  }

  private static List<String> children(Path directory) {
    try (Stream<Path> children = Files.list(directory)) {
      return children.map(child -> child.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> files(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      return paths.filter(Files::isRegularFile).map(directory::relativize).toList();
    }
  }
}
