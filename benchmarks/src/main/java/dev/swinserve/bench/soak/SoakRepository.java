package dev.swinserve.bench.soak;

import dev.swinserve.bench.harness.Workspace;
import dev.swinserve.registry.ModelConfigReader;
import dev.swinserve.server.routing.EndpointsFileWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The model repository a soak runs on, made fresh from the mini fixture for every run (the chaos
 * changes it): {@link #ALPHA} with versions 1 and 2 and {@code version_policy: {latest: 2}}, so its
 * {@code stable} label has two versions to flip between; {@link #BETA} with version 1 and the
 * default policy; {@link #GAMMA}, version 1, which only receives shadow copies. The endpoint {@link
 * #ENDPOINT} splits requests between alpha and beta by weight and copies every one to gamma.
 */
final class SoakRepository {

  static final String ALPHA = "alpha";
  static final String BETA = "beta";
  static final String GAMMA = "gamma";
  static final String ENDPOINT = "split";
  static final String ENDPOINTS_FILE = EndpointsFileWatcher.FILE_NAME;

  private SoakRepository() {}

  /** Builds the repository in {@code root}, deleting whatever was there. */
  static Path create(Workspace workspace, Path root) throws IOException {
    Path template = template(workspace);
    deleteTree(root);
    Files.createDirectories(root);
    for (String model : List.of(ALPHA, BETA, GAMMA)) {
      Workspace.copyTree(template, root.resolve(model).resolve("1"));
    }
    Workspace.copyTree(template, root.resolve(ALPHA).resolve("2"));
    Files.writeString(
        root.resolve(ALPHA).resolve(ModelConfigReader.FILE_NAME), "version_policy: {latest: 2}\n");
    writeEndpoints(root, 3, 1);
    return root;
  }

  /** The good version every added version is a copy of: the mini fixture's SavedModel. */
  static Path template(Workspace workspace) {
    return workspace.miniRepository().resolve(Workspace.MINI).resolve("1");
  }

  /**
   * Writes {@code endpoints.yaml} with arm weights {@code alphaWeight} and {@code betaWeight} (arms
   * name no version: each model's default) and gamma as a 100% shadow, as operators should: into a
   * hidden file first, then renamed over the old one, so the server never reads half a file.
   */
  static void writeEndpoints(Path root, int alphaWeight, int betaWeight) throws IOException {
    Path staging = root.resolve(".endpoints.yaml.staging");
    Files.writeString(
        staging,
        "endpoints:\n"
            + "  "
            + ENDPOINT
            + ":\n"
            + "    arms: [{model: "
            + ALPHA
            + ", weight: "
            + alphaWeight
            + "}, {model: "
            + BETA
            + ", weight: "
            + betaWeight
            + "}]\n"
            + "    shadows: [{model: "
            + GAMMA
            + ", share: 1.0}]\n");
    Files.move(
        staging,
        root.resolve(ENDPOINTS_FILE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
