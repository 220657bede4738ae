package dev.swinserve.registry;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one scan found in the repository.
 *
 * @param models the valid models, by name
 * @param unreadable models whose directories exist but could not be listed; the registry leaves
 *     them as they were rather than treating them as removed
 * @param problems what was refused or unreadable at the repository level (model folders)
 */
record RepositoryScan(Map<String, ScannedModel> models, Set<String> unreadable, List<RepositoryProblem> problems) {

  RepositoryScan {
    models = Map.copyOf(models);
    unreadable = Set.copyOf(unreadable);
    problems = List.copyOf(problems);
  }

  /**
   * One model directory.
   *
   * @param config the parsed {@code model.yaml} ({@link ModelConfig#defaults()} when there is
   *     none); empty when the file is broken
   * @param configError why the {@code model.yaml} is broken
   * @param problems what was refused or unreadable inside the model's folder (versions refused
   *     for a symbolic link leading outside the repository are not in {@code versions})
   */
  record ScannedModel(
      String name,
      Path directory,
      Map<Long, ScannedVersion> versions,
      Optional<ModelConfig> config,
      Optional<String> configError,
      List<RepositoryProblem> problems) {

    ScannedModel {
      versions = Map.copyOf(versions);
      problems = List.copyOf(problems);
    }
  }

  /**
   * One version directory, with what identifies its contents cheaply: the file key (inode) and
   * modification time of the directory, which change when it is replaced or when entries are
   * added to or removed from it.
   */
  record ScannedVersion(long version, Path directory, Object fileKey, FileTime lastModified) {

    boolean sameDirectoryAs(ScannedVersion other) {
      return Objects.equals(fileKey, other.fileKey) && Objects.equals(lastModified, other.lastModified);
    }
  }
}
