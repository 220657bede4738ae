package dev.swinserve.launcher.serve;

import dev.swinserve.converter.ModelSources;
import dev.swinserve.converter.export.ModelRepositoryWriter;
import dev.swinserve.converter.hub.ConsoleProgress;
import dev.swinserve.converter.hub.HubCheckpoint;
import dev.swinserve.converter.hub.HubConfig;
import dev.swinserve.converter.hub.HubDownloader;
import dev.swinserve.converter.hub.HubException;
import dev.swinserve.registry.ModelConfigReader;
import dev.swinserve.server.routing.EndpointsFileWatcher;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The repository a server started without one serves, to show the product at once: two SwinV2-T
 * variants ({@link #MODELS}), each in two versions labelled stable (1) and canary (2), and an
 * {@code endpoints.yaml} whose endpoint {@link #ENDPOINT} splits requests 70:30 between the two
 * stable versions and shadows every request to the first variant's canary.
 *
 * <p>The weights come from the Hugging Face hub when it answers within a short timeout; otherwise
 * they are seeded demo weights, and the server says so loudly. Either way each variant is converted
 * once: its canary is a copy of its stable version's files (demo canaries therefore answer as their
 * stable versions do; a second seed would cost a conversion of about 12 s per variant on two cores,
 * where the whole first start took 39 s, for nothing a demo needs). The repository is built in a
 * hidden folder beside its place and renamed into place when complete, so an interrupted first
 * start leaves no half repository for the registry to load; the next start deletes what it left and
 * starts again.
 */
public final class DefaultRepository {

  /** The variants, as named on the hub ({@code microsoft/<name>}); the first takes most traffic. */
  public static final List<String> MODELS =
      List.of("swinv2-tiny-patch4-window8-256", "swinv2-tiny-patch4-window16-256");

  /** The endpoint of {@code endpoints.yaml}, called like a model. */
  public static final String ENDPOINT = "swinv2-tiny";

  static final String ENDPOINTS_FILE = EndpointsFileWatcher.FILE_NAME;
  private static final long STABLE = 1;
  private static final long CANARY = 2;
  private static final Duration HUB_CONNECT_TIMEOUT = Duration.ofSeconds(3);
  private static final String MODEL_YAML =
      """
      # Made by swinserve for the default repository: serve both versions,
      # "stable" is what requests without a version or label get.
      version_policy: {latest: 2}
      labels: {stable: 1, canary: 2}
      # SwinV2-T keeps a 2-core CPU busy at batch 2-4; larger batches only add latency (BENCHMARKS.md).
      runtime: {batching: {max_batch_size: 4}}
      """;
  private static final String ENDPOINTS_YAML =
      """
      # Made by swinserve for the default repository. Requests for %1$s go to the stable
      # version of one variant, 70:30; a copy of each goes to the first variant's canary, whose
      # answers are never returned, only compared: GetMetrics' shadow_agreement says how often
      # its top-1 class matched the answer's.
      endpoints:
        %1$s:
          arms:
            - {model: %2$s, label: stable, weight: 70}
            - {model: %3$s, label: stable, weight: 30}
          shadows:
            - {model: %2$s, label: canary, share: 1.0}
      """
          .formatted(ENDPOINT, MODELS.get(0), MODELS.get(1));

  private DefaultRepository() {}

  /** {@code ~/.swinserve/models}, or {@code $SWINSERVE_HOME/models}. */
  public static Path location(Map<String, String> environment) {
    String home = environment.get("SWINSERVE_HOME");
    return (home != null && !home.isBlank()
            ? Path.of(home)
            : Path.of(System.getProperty("user.home"), ".swinserve"))
        .resolve("models");
  }

  /**
   * Makes the default repository at {@code root} unless it already holds a model. Not for two
   * processes at once on the same {@code root}.
   *
   * @throws IllegalStateException if {@code root} holds files but no model: it is not ours to fill
   */
  public static Path prepare(Path root, Map<String, String> environment, PrintStream log) {
    if (holdsAModel(root)) {
      return root;
    }
    if (!isEmpty(root)) {
      throw new IllegalStateException(
          root
              + " holds no model but is not empty either; empty it, or give"
              + " --model-repository");
    }
    log.println("swinserve: no model repository given; preparing the default one in " + root);
    try {
      Optional<List<HubCheckpoint>> checkpoints = download(environment, log);
      ModelRepositoryWriter.deleteStaging(root);
      ModelRepositoryWriter.createAtomically(
          root,
          repository -> {
            for (int i = 0; i < MODELS.size(); i++) {
              String model = MODELS.get(i);
              log.println(
                  "swinserve: converting "
                      + model
                      + " (stable, version "
                      + STABLE
                      + "); its canary,"
                      + " version "
                      + CANARY
                      + ", is a copy");
              ModelRepositoryWriter.write(
                  repository,
                  model,
                  OptionalLong.of(STABLE),
                  checkpoints.isPresent()
                      ? ModelSources.fromCheckpoint(
                          checkpoints.get().get(i).directory(), source(checkpoints.get().get(i)))
                      : ModelSources.fromPreset(model, STABLE));
              ModelRepositoryWriter.copyVersion(repository, model, STABLE, CANARY);
              Files.writeString(
                  repository.resolve(model).resolve(ModelConfigReader.FILE_NAME), MODEL_YAML);
            }
            Files.writeString(repository.resolve(ENDPOINTS_FILE), ENDPOINTS_YAML);
          });
      return root;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing the default repository", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the default repository in " + root, e);
    }
  }

  /** Every variant's checkpoint from the hub, or empty (having said so) to use demo weights. */
  private static Optional<List<HubCheckpoint>> download(
      Map<String, String> environment, PrintStream log) throws InterruptedException {
    HubConfig hub =
        HubConfig.fromEnvironment(environment, Path.of(System.getProperty("user.home")))
            .withConnectTimeout(HUB_CONNECT_TIMEOUT);
    HubDownloader downloader = new HubDownloader(hub, ConsoleProgress.onStandardError(false));
    List<HubCheckpoint> checkpoints = new ArrayList<>();
    try {
      for (String model : MODELS) {
        checkpoints.add(downloader.download("microsoft/" + model));
      }
      return Optional.of(checkpoints);
    } catch (HubException e) {
      log.println(
          """
          ************************************************************************
          swinserve: the Hugging Face hub is not reachable (%s).
          Serving %s with SEEDED DEMO WEIGHTS instead:
          the architectures are real, but their predictions and labels MEAN NOTHING.
          ************************************************************************"""
              .formatted(e.getMessage(), String.join(" and ", MODELS)));
      return Optional.empty();
    }
  }

  private static String source(HubCheckpoint checkpoint) {
    return "hub:" + checkpoint.repository() + "@" + checkpoint.weights().revision();
  }

  private static boolean holdsAModel(Path root) {
    return children(root)
        .anyMatch(
            child -> Files.isDirectory(child) && !child.getFileName().toString().startsWith("."));
  }

  private static boolean isEmpty(Path root) {
    return children(root).findAny().isEmpty();
  }

  private static Stream<Path> children(Path root) {
    if (!Files.isDirectory(root)) {
      return Stream.empty();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children.toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }
}
