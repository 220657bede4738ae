package dev.swinserve.registry;

import dev.swinserve.registry.AspiredVersions.AspiredModel;
import dev.swinserve.registry.AspiredVersions.AspiredVersion;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lists the models and versions in the repository, refusing what must not be served: invalid model
 * names, directories that resolve (through symbolic links) outside the repository, and versions
 * holding a file or folder link that leads outside it. Hidden entries and plain files are skipped
 * silently; every refusal is returned as a {@link RepositoryProblem}.
 *
 * <p>Not thread-safe: {@link FileSystemSource} runs one scan at a time. Each refusal is logged
 * once, not on every poll.
 */
final class RepositoryScanner {

  /** Most problems reported per list (the repository's, each model's); the rest are counted. */
  static final int MAX_PROBLEMS = 100;

  private static final System.Logger LOG = System.getLogger(RepositoryScanner.class.getName());

  private final Path root;
  private final Set<String> reported = new HashSet<>();

  RepositoryScanner(Path root) {
    this.root = root;
  }

  /**
   * @throws RegistryException if the repository root cannot be read at all
   */
  AspiredVersions scan() {
    Map<String, AspiredModel> models = new TreeMap<>();
    Set<String> unreadable = new HashSet<>();
    Problems problems;
    try {
      Path realRoot = root.toRealPath();
      if (!Files.isDirectory(realRoot)) {
        throw new RegistryException("the model repository " + root + " is not a directory");
      }
      problems = new Problems(realRoot);
      try (DirectoryStream<Path> children = Files.newDirectoryStream(realRoot)) {
        for (Path child : children) {
          String name = child.getFileName().toString();
          if (RepositoryLayout.isHidden(name) || !Files.isDirectory(child)) {
            continue;
          }
          if (!RepositoryLayout.isValidModelName(name)) {
            problems.add(
                child,
                "not a valid model name (letters, digits, '.', '_', '-'; not starting with '.';"
                    + " at most 128 characters); ignored");
            continue;
          }
          try {
            if (insideRoot(realRoot, child, problems)) {
              models.put(name, scanModel(realRoot, name, child));
            }
          } catch (NoSuchFileException e) {
            // Removed while we looked: the model is gone, as it will be on the next scan.
          } catch (IOException e) {
            problems.add(
                child, "cannot list the model folder (" + e + "); the model stays as it was");
            unreadable.add(name);
          }
        }
      }
    } catch (IOException e) {
      throw new RegistryException("cannot read the model repository " + root + ": " + e, e);
    }
    return new AspiredVersions(models, unreadable, problems.list());
  }

  private AspiredModel scanModel(Path realRoot, String name, Path directory) throws IOException {
    Map<Long, AspiredVersion> versions = new TreeMap<>();
    Problems problems = new Problems(realRoot);
    try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
      for (Path child : children) {
        String fileName = child.getFileName().toString();
        OptionalLong version = RepositoryLayout.parseVersion(fileName);
        if (RepositoryLayout.isHidden(fileName) || !Files.isDirectory(child)) {
          continue;
        }
        if (version.isEmpty()) {
          problems.add(
              child,
              "not a version folder (a version is a number from 1 up, without leading zeros);"
                  + " ignored");
          continue;
        }
        try {
          if (insideRoot(realRoot, child, problems) && linksStayInside(realRoot, child, problems)) {
            BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class);
            versions.put(
                version.getAsLong(),
                new AspiredVersion(
                    version.getAsLong(),
                    child,
                    new DirectoryRevision(attributes.fileKey(), attributes.lastModifiedTime())));
          }
        } catch (NoSuchFileException e) {
          // Removed while we looked.
        }
      }
    }
    Optional<ModelConfig> config;
    Optional<String> configError = Optional.empty();
    Path configFile = directory.resolve(RepositoryLayout.CONFIG_FILE);
    try {
      config =
          Optional.of(
              Files.exists(configFile)
                  ? ModelConfigReader.read(configFile)
                  : ModelConfig.defaults());
    } catch (InvalidModelConfigException e) {
      config = Optional.empty();
      configError = Optional.of(e.getMessage());
    }
    return new AspiredModel(
        name, versions, config, configError, configFile.toString(), problems.list());
  }

  /**
   * What identifies a version folder's contents cheaply: its file key (inode) and modification
   * time, which change when it is replaced or when entries are added to or removed from it. The
   * file key is null where the file system has none; the time still tells.
   */
  private record DirectoryRevision(Object fileKey, FileTime lastModified) {}

  /** Whether a path, links resolved, lies strictly inside the repository; a problem if not. */
  private boolean insideRoot(Path realRoot, Path path, Problems problems) throws IOException {
    Path real = path.toRealPath();
    if (real.startsWith(realRoot) && !real.equals(realRoot)) {
      return true;
    }
    problems.add(
        path, "refused: a symbolic link to " + real + ", which is outside the model repository");
    return false;
  }

  /**
   * Whether everything a version folder holds, symbolic links (to files or folders) followed, lies
   * inside the repository, so that a version cannot read files from elsewhere on the machine; a
   * problem naming the first entry that does not, or that cannot be read, if not.
   */
  private boolean linksStayInside(Path realRoot, Path version, Problems problems)
      throws IOException {
    List<String> refusals = new ArrayList<>(1);
    Files.walkFileTree(
        version,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
              throws IOException {
            return check(directory);
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            return check(file);
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException failure) {
            if (failure instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE; // removed while we looked
            }
            refusals.add("cannot read " + realRoot.relativize(file) + " (" + failure + ")");
            return FileVisitResult.TERMINATE;
          }

          // Only links need resolving: the walk starts at a folder known to be inside, and an entry
          // that is not a link lies in the folder it was listed from, which was checked before it.
          private FileVisitResult check(Path path) throws IOException {
            if (!Files.isSymbolicLink(path)) {
              return FileVisitResult.CONTINUE;
            }
            Path target;
            try {
              target = path.toRealPath();
            } catch (NoSuchFileException e) {
              if (!Files.isSymbolicLink(path)) {
                return FileVisitResult.CONTINUE; // removed while we looked
              }
              refusals.add(
                  realRoot.relativize(path)
                      + " is a symbolic link to nothing ("
                      + Files.readSymbolicLink(path)
                      + ")");
              return FileVisitResult.TERMINATE;
            }
            if (target.startsWith(realRoot)) {
              return FileVisitResult.CONTINUE;
            }
            refusals.add(
                realRoot.relativize(path)
                    + " is a symbolic link to "
                    + target
                    + ", which is outside the model repository");
            return FileVisitResult.TERMINATE;
          }
        });
    if (refusals.isEmpty()) {
      return true;
    }
    problems.add(version, "version refused: " + refusals.get(0));
    return false;
  }

  /** Problems found by one scan, each logged the first time any scan finds it. */
  private final class Problems {

    private final Path realRoot;
    private final List<RepositoryProblem> found = new ArrayList<>();
    private int more;

    Problems(Path realRoot) {
      this.realRoot = realRoot;
    }

    void add(Path path, String reason) {
      String relative = realRoot.relativize(path).toString();
      if (reported.add(relative + "\n" + reason)) {
        LOG.log(Level.WARNING, root.resolve(relative) + ": " + reason);
      }
      if (found.size() < MAX_PROBLEMS) {
        found.add(new RepositoryProblem(relative, reason));
      } else {
        more++;
      }
    }

    List<RepositoryProblem> list() {
      if (more == 0) {
        return found;
      }
      List<RepositoryProblem> all = new ArrayList<>(found);
      all.add(new RepositoryProblem(".", more + " more problems not listed; see the server log"));
      return all;
    }
  }
}
