package dev.swinserve.server.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link ServerConfigReader} on arbitrary {@code server.yaml} contents. Its documented
 * failure is {@link IllegalArgumentException} naming the file and the key; anything else escaping
 * is a finding. Seeds and past findings: {@code ServerConfigReaderFuzzTestInputs/read} under test
 * resources.
 */
class ServerConfigReaderFuzzTest {

  @TempDir static Path folder;

  @FuzzTest
  void read(byte[] contents) throws IOException {
    Path file = Files.write(folder.resolve("server.yaml"), contents);
    try {
      ServerConfigReader.read(file);
    } catch (IllegalArgumentException refused) {
      // documented
    }
  }
}
