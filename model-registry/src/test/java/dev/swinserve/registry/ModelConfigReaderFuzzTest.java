package dev.swinserve.registry;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link ModelConfigReader} on arbitrary {@code model.yaml} contents. Its documented failure
 * is {@link InvalidModelConfigException} naming the file and the key; anything else escaping (a
 * crash, a stack overflow on deep nesting, an alias bomb) is a finding. Seeds and past findings:
 * {@code ModelConfigReaderFuzzTestInputs/read} under test resources.
 */
class ModelConfigReaderFuzzTest {

  @TempDir static Path folder;

  @FuzzTest
  void read(byte[] contents) throws IOException {
    Path file = Files.write(folder.resolve("model.yaml"), contents);
    try {
      ModelConfigReader.read(file);
    } catch (InvalidModelConfigException refused) {
      // documented
    }
  }
}
