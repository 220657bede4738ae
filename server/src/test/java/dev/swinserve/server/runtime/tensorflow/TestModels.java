package dev.swinserve.server.runtime.tensorflow;

import dev.swinserve.converter.ModelSources;
import dev.swinserve.converter.export.ModelRepositoryWriter;
import dev.swinserve.format.safetensors.SafetensorsFile;
import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.testing.Fixtures;
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

  /** Exports {@code fixture} as version 1 of a model named after it; returns the version directory. */
  static Path export(Path repository, String fixture) {
    return ModelRepositoryWriter.write(repository, fixture, OptionalLong.of(1),
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
    Map<String, FloatTensor> io = SafetensorsFile.readAll(Fixtures.checkpoint(fixture).resolve("io.safetensors"));
    return Map.of("pixel_values", toNhwc(io.get("pixel_values")), "logits", io.get("logits"));
  }

  static FloatTensor toNhwc(FloatTensor nchw) {
    long[] shape = nchw.shape();
    int batch = (int) shape[0];
    int channels = (int) shape[1];
    int height = (int) shape[2];
    int width = (int) shape[3];
    float[] source = nchw.data();
    float[] result = new float[source.length];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < channels; c++) {
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            result[((n * height + y) * width + x) * channels + c] =
                source[((n * channels + c) * height + y) * width + x];
          }
        }
      }
    }
    return new FloatTensor(new long[] {batch, height, width, channels}, result);
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

  /** ‖actual − expected‖ / ‖expected‖ in double precision. */
  static double relativeError(float[] actual, float[] expected) {
    if (actual.length != expected.length) {
      throw new IllegalArgumentException("lengths differ: " + actual.length + " vs " + expected.length);
    }
    double difference = 0;
    double norm = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = (double) actual[i] - expected[i];
      difference += d * d;
      norm += (double) expected[i] * expected[i];
    }
    return Math.sqrt(difference / norm);
  }
}
