package dev.swinserve.registry;

import java.util.Objects;

/**
 * Something in the repository that the registry refuses or cannot read, e.g. a folder whose name is
 * not a valid model name, a symbolic link that leads outside the repository, or a directory it
 * cannot list. Reported by {@link ModelRegistry#problems()} (repository level) and {@link
 * ModelStatus#problems()} (inside one model's folder) for as long as the problem is there.
 *
 * @param path where, relative to the repository root (e.g. {@code resnet/3/variables/x})
 * @param reason what is wrong, in words
 */
public record RepositoryProblem(String path, String reason) {

  public RepositoryProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return path + ": " + reason;
  }
}
