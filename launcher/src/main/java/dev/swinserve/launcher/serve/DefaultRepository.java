package dev.swinserve.launcher.serve;

import dev.swinserve.converter.ModelSources;
import dev.swinserve.converter.export.ModelExport;
import dev.swinserve.converter.export.ModelRepositoryWriter;
import dev.swinserve.converter.hub.ConsoleProgress;
import dev.swinserve.converter.hub.HubCheckpoint;
import dev.swinserve.converter.hub.HubConfig;
import dev.swinserve.converter.hub.HubDownloader;
import dev.swinserve.converter.hub.HubException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The repository a server started without one serves: {@code swinv2-tiny-patch4-window8-256} in
 * two versions, labelled stable and canary, so versions and labels can be tried at once. The
 * weights come from the Hugging Face hub when it answers within a short timeout; otherwise they
 * are seeded demo weights, and the server says so loudly.
 */
public final class DefaultRepository {

  public static final String MODEL = "swinv2-tiny-patch4-window8-256";
  private static final Duration HUB_CONNECT_TIMEOUT = Duration.ofSeconds(3);

  private DefaultRepository() {}

  /** {@code ~/.swinserve/models}, or {@code $SWINSERVE_HOME/models}. */
  public static Path location(Map<String, String> environment) {
    String home = environment.get("SWINSERVE_HOME");
    return (home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".swinserve"))
        .resolve("models");
  }

  /** Makes the default repository at {@code root} unless it already holds a model. */
  public static Path prepare(Path root, Map<String, String> environment, PrintStream log) {
    if (holdsAModel(root)) {
      return root;
    }
    log.println("swinserve: no model repository given; preparing the default one in " + root);
    try {
      ModelExport first;
      ModelExport second;
      try {
        HubConfig hub = HubConfig.fromEnvironment(environment, Path.of(System.getProperty("user.home")))
            .withConnectTimeout(HUB_CONNECT_TIMEOUT);
        HubCheckpoint checkpoint = new HubDownloader(hub, ConsoleProgress.onStandardError(false))
            .download("microsoft/" + MODEL);
        String source = "hub:microsoft/" + MODEL + "@" + checkpoint.weights().revision();
        first = ModelSources.fromCheckpoint(checkpoint.directory(), source);
        second = first;
      } catch (HubException e) {
        log.println("""
            ************************************************************************
            swinserve: the Hugging Face hub is not reachable (%s).
            Serving %s with SEEDED DEMO WEIGHTS instead:
            the architecture is real, but its predictions and labels MEAN NOTHING.
            ************************************************************************""".formatted(e.getMessage(), MODEL));
        first = ModelSources.fromPreset(MODEL, 1);
        second = ModelSources.fromPreset(MODEL, 2);
      }
      ModelRepositoryWriter.write(root, MODEL, OptionalLong.of(1), first);
      ModelRepositoryWriter.write(root, MODEL, OptionalLong.of(2), second);
      Files.writeString(root.resolve(MODEL).resolve("model.yaml"), """
          # Made by swinserve for the default repository: serve both versions,
          # "stable" is what requests without a version or label get.
          version_policy: {latest: 2}
          labels: {stable: 1, canary: 2}
          # SwinV2-T keeps a 2-core CPU busy at batch 2-4; larger batches only add latency (BENCHMARKS.md).
          runtime: {batching: {max_batch_size: 4}}
          """);
      return root;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing the default repository", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the default repository in " + root, e);
    }
  }

  private static boolean holdsAModel(Path root) {
    if (!Files.isDirectory(root)) {
      return false;
    }
    try (Stream<Path> children = Files.list(root)) {
      return children.anyMatch(child -> Files.isDirectory(child) && !child.getFileName().toString().startsWith("."));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }
}
