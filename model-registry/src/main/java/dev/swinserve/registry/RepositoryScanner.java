package dev.swinserve.registry;

import dev.swinserve.registry.RepositoryScan.ScannedModel;
import dev.swinserve.registry.RepositoryScan.ScannedVersion;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lists the models and versions in the repository, refusing what must not be served: invalid
 * model names and directories that resolve (through symbolic links) outside the repository.
 * Hidden entries and plain files are skipped silently.
 *
 * <p>Not thread-safe: the registry runs one scan at a time. Each refusal is logged once, not on
 * every poll.
 */
final class RepositoryScanner {

  private static final System.Logger LOG = System.getLogger(RepositoryScanner.class.getName());

  private final Path root;
  private final Set<String> reported = new HashSet<>();

  RepositoryScanner(Path root) {
    this.root = root;
  }

  /** @throws RegistryException if the repository root cannot be read at all */
  RepositoryScan scan() {
    Path realRoot;
    Map<String, ScannedModel> models = new TreeMap<>();
    Set<String> unreadable = new HashSet<>();
    try {
      realRoot = root.toRealPath();
      if (!Files.isDirectory(realRoot)) {
        throw new RegistryException("the model repository " + root + " is not a directory");
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(realRoot)) {
        for (Path child : children) {
          String name = child.getFileName().toString();
          if (RepositoryLayout.isHidden(name) || !Files.isDirectory(child)) {
            continue;
          }
          if (!RepositoryLayout.isValidModelName(name)) {
            warnOnce(child, "ignoring " + child + ": not a valid model name (letters, digits, '.', '_',"
                + " '-'; not starting with '.'; at most 128 characters)");
            continue;
          }
          try {
            if (insideRoot(realRoot, child)) {
              models.put(name, scanModel(realRoot, name, child));
            }
          } catch (NoSuchFileException e) {
            // Removed while we looked: the model is gone, as it will be on the next scan.
          } catch (IOException e) {
            warnOnce(child, "cannot list model directory " + child + ": " + e);
            unreadable.add(name);
          }
        }
      }
    } catch (IOException e) {
      throw new RegistryException("cannot read the model repository " + root + ": " + e, e);
    }
    return new RepositoryScan(models, unreadable);
  }

  private ScannedModel scanModel(Path realRoot, String name, Path directory) throws IOException {
    Map<Long, ScannedVersion> versions = new TreeMap<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
      for (Path child : children) {
        OptionalLong version = RepositoryLayout.parseVersion(child.getFileName().toString());
        if (version.isEmpty() || !Files.isDirectory(child)) {
          continue;
        }
        try {
          if (insideRoot(realRoot, child)) {
            BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class);
            versions.put(version.getAsLong(), new ScannedVersion(
                version.getAsLong(), child, attributes.fileKey(), attributes.lastModifiedTime()));
          }
        } catch (NoSuchFileException e) {
          // Removed while we looked.
        }
      }
    }
    Path configFile = directory.resolve(RepositoryLayout.CONFIG_FILE);
    if (!Files.exists(configFile)) {
      return new ScannedModel(name, directory, versions, Optional.of(ModelConfig.defaults()), Optional.empty());
    }
    try {
      return new ScannedModel(name, directory, versions, Optional.of(ModelConfig.read(configFile)), Optional.empty());
    } catch (InvalidModelConfigException e) {
      return new ScannedModel(name, directory, versions, Optional.empty(), Optional.of(e.getMessage()));
    }
  }

  /** Whether a path, links resolved, lies strictly inside the repository; warns once if not. */
  private boolean insideRoot(Path realRoot, Path path) throws IOException {
    Path real = path.toRealPath();
    if (real.startsWith(realRoot) && !real.equals(realRoot)) {
      return true;
    }
    warnOnce(path, "refusing " + path + ": it resolves to " + real + ", which is not inside the model repository " + realRoot);
    return false;
  }

  private void warnOnce(Path path, String message) {
    if (reported.add(path + "\n" + message)) {
      LOG.log(Level.WARNING, message);
    }
  }
}
