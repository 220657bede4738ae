package dev.swinserve.format.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.tensor.TensorFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link SafetensorsFile} on arbitrary file contents. Only {@link TensorFormatException} may
 * escape, and nothing a file claims (a header length, a shape) may allocate more than the file
 * holds: run under a small heap, such an allocation fails as {@link OutOfMemoryError}. Seeds and
 * past findings: {@code SafetensorsFileFuzzTestInputs/readAll} under test resources.
 */
class SafetensorsFileFuzzTest {

  @TempDir static Path folder;

  @FuzzTest
  void readAll(byte[] contents) throws IOException {
    Path file = folder.resolve("model.safetensors");
    Files.write(file, contents);
    Map<String, FloatTensor> tensors;
    try {
      tensors = SafetensorsFile.readAll(file);
    } catch (TensorFormatException refused) {
      return;
    }
    long elements = 0;
    for (FloatTensor tensor : tensors.values()) {
      elements += tensor.data().length;
    }
    // Every element takes at least 2 bytes of the file (F16 or BF16).
    assertThat(elements * 2).isLessThanOrEqualTo(contents.length);
  }
}
