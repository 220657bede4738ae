package dev.swinserve.bench;

import dev.swinserve.converter.ModelSources;
import dev.swinserve.converter.export.ModelRepositoryWriter;
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
final class Workspace {

  static final String TINY = "swinv2-tiny-patch4-window8-256";
  static final String MINI = "swinv2-mini";

  private final Path root;
  private final Path fixtures;

  Workspace(Path root) {
    this.root = root;
    this.fixtures = locateFixtures();
  }

  Path root() {
    return root;
  }

  /** A repository holding only the demo-weight SwinV2-T, version 1. */
  Path tinyRepository() {
    Path repository = root.resolve("repository-tiny");
    if (!Files.isDirectory(repository.resolve(TINY).resolve("1"))) {
      ModelRepositoryWriter.write(repository, TINY, OptionalLong.of(1), ModelSources.fromPreset(TINY, 0));
    }
    return repository;
  }

  /** A repository holding only the mini fixture, version 1. */
  Path miniRepository() {
    Path repository = root.resolve("repository-mini");
    if (!Files.isDirectory(repository.resolve(MINI).resolve("1"))) {
      ModelRepositoryWriter.write(repository, MINI, OptionalLong.of(1), ModelSources.fromCheckpoint(
          fixtures.resolve("swinv2").resolve("swinv2-mini-window4"), "fixture:swinv2-mini-window4"));
    }
    return repository;
  }

  /** The fixture photographs, as users send them. */
  List<Path> images() throws IOException {
    try (Stream<Path> files = Files.list(fixtures.resolve("images"))) {
      return new ArrayList<>(files.filter(file -> file.toString().matches(".*\\.(png|jpg)$")).sorted().toList());
    }
  }

  private static Path locateFixtures() {
    for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
      Path candidate = directory.resolve("testdata").resolve("fixtures");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("run benchmarks from the repository: testdata/fixtures not found");
  }
}
