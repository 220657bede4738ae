package dev.swinserve.server.runtime.tensorflow;

import dev.swinserve.converter.ModelSources;
import dev.swinserve.converter.export.ModelRepositoryWriter;
import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.format.testing.ReferenceOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** Real model versions for tests, exported from the reference fixtures by the converter. */
final class TestModels {

  /** The fixture most tests use: 64×64 input, 10 classes. */
  static final String MINI = "swinv2-mini-window4";

  private TestModels() {}

  /**
   * Exports {@code fixture} as version 1 of a model named after it; returns the version directory.
   */
  static Path export(Path repository, String fixture) {
    return ModelRepositoryWriter.write(
        repository,
        fixture,
        OptionalLong.of(1),
        ModelSources.fromCheckpoint(Fixtures.checkpoint(fixture), "test:" + fixture));
  }

  /** Copies a version directory so that a test may damage the copy. */
  static Path copy(Path version, Path target) throws IOException {
    try (Stream<Path> paths = Files.walk(version)) {
      for (Path source : paths.toList()) {
        Path destination = target.resolve(version.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(source, destination);
        }
      }
    }
    return target;
  }

  /** The fixture's reference input (converted to NHWC) and the reference logits. */
  static Map<String, FloatTensor> reference(String fixture) {
    return Map.of(
        "pixel_values",
        ReferenceOutputs.pixels(fixture),
        "logits",
        ReferenceOutputs.logits(fixture));
  }

  static float[] flatten(float[][] rows) {
    return flatten(List.of(rows));
  }

  static float[] flatten(List<float[]> rows) {
    int length = rows.stream().mapToInt(row -> row.length).sum();
    float[] result = new float[length];
    int offset = 0;
    for (float[] row : rows) {
      System.arraycopy(row, 0, result, offset, row.length);
      offset += row.length;
    }
    return result;
  }

  static double relativeError(float[] actual, float[] expected) {
    return ReferenceOutputs.relativeError(actual, expected);
  }
}
