package dev.swinserve.server.runtime.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.format.ModelVersionLayout;
import dev.swinserve.registry.ModelConfig;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.InvalidModelException;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.testing.Settled;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native memory comes back: loading and closing a version many times, or failing a load after the
 * SavedModel was opened, leaves the process's resident size about where it was. Measured here: 5 to
 * 17 MB of growth over 20 rounds when everything is closed (allocators keep freed pages), 110 to
 * 150 MB when the bundle is not closed; the bound sits between.
 */
class TensorFlowModelLeakTest {

  private static final int ROUNDS = 20;
  private static final long BOUND_BYTES = 50L << 20;
  private static final ModelVersionId ID = new ModelVersionId("leak", 1);
  private static final TensorFlowModelLoader LOADER =
      new TensorFlowModelLoader(new RuntimeConfig(0, 0, List.of(1, 4)));

  @TempDir static Path repository;
  private static Path version;

  @BeforeAll
  static void export() {
    // The largest fixture (9 MB of weights): a leaked bundle per round would cost far beyond the
    // bound.
    version = TestModels.export(repository, "swinv2-mini-window4to3");
  }

  @Test
  void loadingAndClosingRepeatedlyReturnsTheMemory() throws Exception {
    for (int round = 0; round < 3; round++) {
      loadWarmUpAndClose(); // allocator pools and class loading settle
    }
    long before = residentBytes();
    for (int round = 0; round < ROUNDS; round++) {
      loadWarmUpAndClose();
    }
    long growth = residentBytes() - before;
    System.out.printf(
        "resident size grew by %.1f MB over %d load/close rounds%n", growth / 1e6, ROUNDS);

    assertThat(growth).as("resident size growth in bytes").isLessThan(BOUND_BYTES);
  }

  @Test
  void failedLoadsCloseTheSavedModel() throws Exception {
    Path broken = TestModels.copy(version, repository.resolve("broken").resolve("1"));
    Files.writeString(broken.resolve(ModelVersionLayout.LABELS_ASSET), "only one class\n");
    for (int round = 0; round < 3; round++) {
      failToLoad(broken);
    }
    long before = residentBytes();
    for (int round = 0; round < ROUNDS; round++) {
      failToLoad(broken);
    }
    long growth = residentBytes() - before;
    System.out.printf("resident size grew by %.1f MB over %d failed loads%n", growth / 1e6, ROUNDS);

    assertThat(growth).as("resident size growth in bytes").isLessThan(BOUND_BYTES);
  }

  private static void loadWarmUpAndClose() throws Exception {
    try (ClassificationModel model = LOADER.load(ID, version, ModelConfig.defaults())) {
      model.warmUp();
    }
  }

  private static void failToLoad(Path broken) {
    assertThatThrownBy(() -> LOADER.load(ID, broken, ModelConfig.defaults()))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("1 labels");
  }

  /**
   * Resident bytes outside the Java heap: VmRSS from /proc/self/status less the heap's committed
   * size, once both have settled after a collection. G1 gives freed heap back to the system on a
   * background thread, so a reading taken straight after {@code System.gc()} can still count heap
   * that is about to go, or has just gone.
   */
  private static long residentBytes() throws Exception {
    System.gc();
    return Settled.value(
        () -> vmRss() - ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted(),
        1L << 20,
        Duration.ofMillis(100),
        Duration.ofSeconds(3));
  }

  private static long vmRss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
