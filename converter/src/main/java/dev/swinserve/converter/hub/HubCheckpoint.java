package dev.swinserve.converter.hub;

import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A downloaded checkpoint: a folder holding {@code config.json}, {@code preprocessor_config.json}
 * and one weights file ({@code model.safetensors} or {@code pytorch_model.bin}), as the converter
 * reads it, and where each file came from. The folder lives in the cache and is replaced by the
 * next download of the same repository and revision; copy it to keep it.
 *
 * @param repository the repository id, e.g. {@code microsoft/swinv2-tiny-patch4-window8-256}
 * @param revision the revision that was asked for
 * @param directory the checkpoint folder
 * @param files one entry per file in the folder, config first, weights last
 * @param offline true when the hub could not be reached and the cached copy was used
 */
public record HubCheckpoint(
    String repository, String revision, Path directory, List<FileSource> files, boolean offline) {

  /**
   * Where one file came from.
   *
   * @param name the file's name in {@link #directory()}
   * @param revision the revision it was taken from (the weights may come from {@code refs/pr/1})
   * @param commit the commit that revision resolved to
   * @param cached true when it was already in the cache and nothing was downloaded
   */
  public record FileSource(String name, String revision, String commit, boolean cached) {}

  public HubCheckpoint {
    files = List.copyOf(files);
  }

  /** The source of {@code name}; throws {@link NoSuchElementException} if the folder lacks it. */
  public FileSource source(String name) {
    return files.stream()
        .filter(file -> file.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException(name + " is not part of " + this));
  }

  /** The weights file's source: the last entry. */
  public FileSource weights() {
    return files.get(files.size() - 1);
  }

  /** The weights file's path. */
  public Path weightsPath() {
    return directory.resolve(weights().name());
  }
}
