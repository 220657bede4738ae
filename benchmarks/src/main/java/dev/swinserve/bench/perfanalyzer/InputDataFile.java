package dev.swinserve.bench.perfanalyzer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code --input-data} file that makes {@code perf_analyzer} send one given tensor: {@code
 * {"data": [{INPUT: {"content": [...], "shape": [H, W, 3]}}]}}, one data set holding one image (the
 * batch dimension is {@code perf_analyzer}'s, from {@code -b}). The values go in as text that reads
 * back to the very same floats.
 */
final class InputDataFile {

  private InputDataFile() {}

  /**
   * Writes {@code pixels}, a {@code [size, size, 3]} tensor in row-major order, as input {@code
   * input} to {@code file}.
   */
  static void write(Path file, String input, float[] pixels, int size) throws IOException {
    if (pixels.length != 3 * size * size) {
      throw new IllegalArgumentException(
          pixels.length + " values are no [" + size + ", " + size + ", 3] tensor");
    }
    try (JsonGenerator json = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeArrayFieldStart("data");
      json.writeStartObject();
      json.writeObjectFieldStart(input);
      json.writeArrayFieldStart("content");
      for (float value : pixels) {
        json.writeNumber(value);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("shape");
      json.writeNumber(size);
      json.writeNumber(size);
      json.writeNumber(3);
      json.writeEndArray();
      json.writeEndObject();
      json.writeEndObject();
      json.writeEndArray();
      json.writeEndObject();
    }
  }
}
