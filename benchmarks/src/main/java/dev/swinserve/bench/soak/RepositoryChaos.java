package dev.swinserve.bench.soak;

import dev.swinserve.bench.harness.Workspace;
import dev.swinserve.format.ModelVersionLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * The chaos that happens on disk, done the way operators do it: a version appears by renaming a
 * finished staging folder into place, disappears by deleting its folder, and {@code endpoints.yaml}
 * is replaced by rename. Acts on {@link SoakRepository#ALPHA} and {@link SoakRepository#BETA}; the
 * shadow model is left alone. Not thread-safe: the chaos thread owns it.
 */
final class RepositoryChaos {

  /** Folders per model at most: enough to keep several versions loading, failing and retiring. */
  private static final int FOLDER_LIMIT = 5;

  private final Path root;
  private final Path template;
  private final Map<String, VersionFolders> models;

  RepositoryChaos(Path root, Path template) {
    this.root = root;
    this.template = template;
    this.models =
        Map.of(
            SoakRepository.ALPHA, new VersionFolders(List.of(1L, 2L), FOLDER_LIMIT),
            SoakRepository.BETA, new VersionFolders(List.of(1L), FOLDER_LIMIT));
  }

  /** One of the models the chaos acts on, drawn uniformly. */
  String chooseModel(SplittableRandom random) {
    return random.nextBoolean() ? SoakRepository.ALPHA : SoakRepository.BETA;
  }

  /** Whether {@code model} has as many folders as it may; an add should then be a delete. */
  boolean full(String model) {
    return models.get(model).full();
  }

  /**
   * Adds {@code model}'s next version, a copy of the template, corrupt when asked (its {@code
   * saved_model.pb} replaced by random bytes); returns what was done.
   */
  String addVersion(String model, boolean corrupt, SplittableRandom random) throws IOException {
    VersionFolders folders = models.get(model);
    long version = folders.nextVersion();
    Path staging = root.resolve(model).resolve(".staging-" + version);
    SoakRepository.deleteTree(staging);
    Workspace.copyTree(template, staging);
    if (corrupt) {
      byte[] garbage = new byte[1024 + random.nextInt(4096)];
      for (int i = 0; i < garbage.length; i++) {
        garbage[i] = (byte) random.nextInt(256);
      }
      Files.write(staging.resolve(ModelVersionLayout.SAVED_MODEL_FILE), garbage);
    }
    Files.move(
        staging,
        root.resolve(model).resolve(Long.toString(version)),
        StandardCopyOption.ATOMIC_MOVE);
    folders.added(version, corrupt);
    return model
        + "/"
        + version
        + (corrupt ? " (corrupt)" : "")
        + " added; on disk "
        + folders.versions();
  }

  /**
   * Deletes a version folder of {@code model} that {@link VersionFolders} allows; returns what was
   * done.
   */
  String deleteVersion(String model, SplittableRandom random) throws IOException {
    VersionFolders folders = models.get(model);
    OptionalLong version = folders.chooseDeletion(random);
    if (version.isEmpty()) {
      return model + ": nothing to delete, only its last good version is left";
    }
    SoakRepository.deleteTree(root.resolve(model).resolve(Long.toString(version.getAsLong())));
    folders.deleted(version.getAsLong());
    return model + "/" + version.getAsLong() + " deleted; on disk " + folders.versions();
  }

  /** Rewrites {@code endpoints.yaml} with weights from 0 to 9 (never both 0); returns them. */
  String rewriteEndpoints(SplittableRandom random) throws IOException {
    int alpha = random.nextInt(10);
    int beta = alpha == 0 ? 1 + random.nextInt(9) : random.nextInt(10);
    SoakRepository.writeEndpoints(root, alpha, beta);
    return "weights " + SoakRepository.ALPHA + "=" + alpha + " " + SoakRepository.BETA + "=" + beta;
  }
}
