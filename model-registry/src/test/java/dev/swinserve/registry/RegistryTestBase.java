package dev.swinserve.registry;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up the registry tests share: before each test a fresh {@link RegistryFixture} on an empty
 * repository in a temporary directory; after it, every registry the fixture made is closed. A
 * subclass's own {@code @BeforeEach} runs after this one, so it can fill {@link #repository}.
 */
abstract class RegistryTestBase {

  @TempDir Path root;
  RegistryFixture fixture;
  TestRepository repository;

  @BeforeEach
  final void createFixture() {
    fixture = new RegistryFixture(root);
    repository = fixture.repository;
  }

  @AfterEach
  final void closeFixture() {
    fixture.close();
  }
}
