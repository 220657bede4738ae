package dev.swinserve.converter.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.swinserve.format.tensor.TensorFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link PyTorchCheckpointReader} two ways: arbitrary bytes as the whole {@code
 * pytorch_model.bin} (zip structure, signatures, {@link TorchArchive}), and arbitrary bytes as the
 * state dict pickle of a well-formed archive with two small storages (tensor views, strides,
 * storage reads). Only {@link TensorFormatException} may escape, and nothing the pickle claims may
 * allocate more than the archive holds. Seeds and past findings: {@code
 * PyTorchCheckpointReaderFuzzTestInputs/<method>} under test resources.
 */
class PyTorchCheckpointReaderFuzzTest {

  /** Storage "0": six float32 values; storage "1": one. */
  private static final Map<String, byte[]> STORAGES =
      Map.of(
          "0", TorchCheckpointWriter.littleEndianFloats(1, 2, 3, 4, 5, 6),
          "1", TorchCheckpointWriter.littleEndianFloats(7));

  @TempDir static Path folder;

  @FuzzTest
  void file(byte[] contents) throws IOException {
    read(Files.write(folder.resolve("pytorch_model.bin"), contents));
  }

  @FuzzTest
  void pickleInArchive(byte[] pickle) throws IOException {
    read(
        TorchCheckpointWriter.writeArchive(
            folder.resolve("pytorch_model.bin"), pickle, STORAGES, "little"));
  }

  private static void read(Path file) {
    try {
      PyTorchCheckpointReader.readAll(file);
    } catch (TensorFormatException refused) {
      // documented: names the file and, where one is involved, the state dict key
    }
  }
}
