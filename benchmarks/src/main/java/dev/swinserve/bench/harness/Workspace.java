package dev.swinserve.bench.harness;

import dev.swinserve.converter.ModelSources;
import dev.swinserve.converter.export.ModelRepositoryWriter;
import dev.swinserve.registry.ModelConfigReader;
import dev.swinserve.server.routing.EndpointsFileWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Where a benchmark run keeps its model repositories: the demo-weight SwinV2-T preset for
 * throughput, the {@code swinv2-mini-window4} fixture for overhead. Built once per folder.
 */
public final class Workspace {

  public static final String TINY = "swinv2-tiny-patch4-window8-256";
  public static final String MINI = "swinv2-mini";
  public static final String MINI_SHADOW = "swinv2-mini-shadow";

  private final Path root;
  private final Path fixtures;

  public Workspace(Path root) {
    this.root = root;
    this.fixtures = locateFixtures();
  }

  public Path root() {
    return root;
  }

  /** A repository holding only the demo-weight SwinV2-T, version 1. */
  public Path tinyRepository() {
    Path repository = root.resolve("repository-tiny");
    if (!Files.isDirectory(repository.resolve(TINY).resolve("1"))) {
      ModelRepositoryWriter.write(
          repository, TINY, OptionalLong.of(1), ModelSources.fromPreset(TINY, 0));
    }
    return repository;
  }

  /** A repository holding only the mini fixture, version 1. */
  public Path miniRepository() {
    Path repository = root.resolve("repository-mini");
    if (!Files.isDirectory(repository.resolve(MINI).resolve("1"))) {
      ModelRepositoryWriter.write(
          repository,
          MINI,
          OptionalLong.of(1),
          ModelSources.fromCheckpoint(
              fixtures.resolve("swinv2").resolve("swinv2-mini-window4"),
              "fixture:swinv2-mini-window4"));
    }
    return repository;
  }

  /**
   * The mini fixture twice, separately loaded with the server's thread settings: {@link #MINI} and
   * {@link #MINI_SHADOW}. Endpoints: {@code plain} sends everything to the first; {@code shadowed}
   * does the same and copies every request to the second.
   */
  public Path shadowRepository() throws IOException {
    Path repository = root.resolve("repository-shadow");
    Path source = miniRepository().resolve(MINI);
    for (String name : List.of(MINI, MINI_SHADOW)) {
      if (!Files.isDirectory(repository.resolve(name).resolve("1"))) {
        copyTree(source, repository.resolve(name));
      }
    }
    Files.deleteIfExists(repository.resolve(MINI_SHADOW).resolve(ModelConfigReader.FILE_NAME));
    Files.writeString(
        repository.resolve(EndpointsFileWatcher.FILE_NAME),
        "endpoints:\n"
            + "  plain: {arms: [{model: "
            + MINI
            + ", version: 1, weight: 1}]}\n"
            + "  shadowed:\n"
            + "    arms: [{model: "
            + MINI
            + ", version: 1, weight: 1}]\n"
            + "    shadows: [{model: "
            + MINI_SHADOW
            + ", version: 1, share: 1.0}]\n");
    return repository;
  }

  /**
   * Copies the folder {@code from} and everything in it to {@code to}, whose files must not exist
   * yet.
   */
  public static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  /** The fixture photographs, as users send them. */
  public List<Path> images() throws IOException {
    try (Stream<Path> files = Files.list(fixtures.resolve("images"))) {
      return new ArrayList<>(
          files.filter(file -> file.toString().matches(".*\\.(png|jpg)$")).sorted().toList());
    }
  }

  private static Path locateFixtures() {
    for (Path directory = Path.of("").toAbsolutePath();
        directory != null;
        directory = directory.getParent()) {
      Path candidate = directory.resolve("testdata").resolve("fixtures");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "run benchmarks from the repository: testdata/fixtures not found");
  }
}
