package dev.swinserve.server.testing;

import dev.swinserve.converter.ModelSources;
import dev.swinserve.converter.export.ModelRepositoryWriter;
import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.format.testing.ReferenceOutputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Model repositories made from the reference checkpoints with the real converter. */
public final class FixtureRepository {

  /** The checkpoint most tests serve: 64×64 input, 10 classes. */
  public static final String MINI = "swinv2-mini-window4";

  private FixtureRepository() {}

  /** Each fixture is converted once per JVM; versions are copies of that conversion. */
  private static final Map<String, Path> CONVERTED = new ConcurrentHashMap<>();

  /**
   * Puts fixture {@code checkpoint} at {@code <root>/<model>/<version>/}, copied beside it first
   * and renamed into place, so a registry watching {@code root} never sees half a version.
   */
  /**
   * Model {@code model} in versions 1 and 2 of fixture {@code checkpoint}, both served ({@code
   * version_policy: {latest: 2}}), with {@code stable} on version 1: the repository the front
   * doors' tests share.
   */
  public static void addTwoVersionsWithStableLabel(Path root, String model, String checkpoint)
      throws IOException {
    add(root, model, 1, checkpoint);
    add(root, model, 2, checkpoint);
    Files.writeString(
        root.resolve(model).resolve("model.yaml"),
        "version_policy: {latest: 2}\nlabels: {stable: 1}\n");
  }

  public static Path add(Path root, String model, long version, String checkpoint) {
    Path converted = CONVERTED.computeIfAbsent(checkpoint, FixtureRepository::convert);
    try {
      Path modelDirectory = Files.createDirectories(root.resolve(model));
      Path staging = Files.createTempDirectory(modelDirectory, ".staging-");
      Files.delete(staging);
      copyTree(converted, staging);
      return Files.move(
          staging, modelDirectory.resolve(Long.toString(version)), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path convert(String checkpoint) {
    try {
      Path repository = Files.createTempDirectory("swinserve-fixture-");
      return ModelRepositoryWriter.write(
          repository,
          "fixture",
          OptionalLong.of(1),
          ModelSources.fromCheckpoint(Fixtures.checkpoint(checkpoint), "fixture:" + checkpoint));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyTree(Path source, Path target) throws IOException {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : paths.toList()) {
        Files.copy(path, target.resolve(source.relativize(path).toString()));
      }
    }
  }

  /** The fixture's reference input, NHWC, and its reference logits. */
  public static Reference reference(String checkpoint) {
    return new Reference(ReferenceOutputs.pixels(checkpoint), ReferenceOutputs.logits(checkpoint));
  }

  /**
   * @param pixels NHWC {@code [n, h, w, 3]}
   */
  public record Reference(FloatTensor pixels, FloatTensor logits) {

    public int count() {
      return (int) pixels.shape()[0];
    }

    public int side() {
      return (int) pixels.shape()[1];
    }

    /** Image {@code index} as a flat [h, w, 3] array. */
    public float[] image(int index) {
      int length = side() * side() * 3;
      float[] image = new float[length];
      System.arraycopy(pixels.data(), index * length, image, 0, length);
      return image;
    }

    public float[] logitsOf(int index) {
      int classes = (int) logits.shape()[1];
      float[] row = new float[classes];
      System.arraycopy(logits.data(), index * classes, row, 0, classes);
      return row;
    }
  }

  /** ‖actual − expected‖ / ‖expected‖. */
  public static double relativeError(float[] actual, float[] expected) {
    return ReferenceOutputs.relativeError(actual, expected);
  }
}
