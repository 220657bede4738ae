package dev.swinserve.converter.checkpoint;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.format.tensor.TensorFormatException;
import dev.swinserve.format.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyTorchCheckpointReaderErrorTest {

  @TempDir Path temp;

  @Test
  void refusesATruncatedArchive() throws IOException {
    byte[] whole =
        Files.readAllBytes(Fixtures.checkpoint("swinv2-mini-window4").resolve("pytorch_model.bin"));
    Path truncated =
        Files.write(temp.resolve("pytorch_model.bin"), Arrays.copyOf(whole, whole.length / 2));

    assertThatThrownBy(() -> PyTorchCheckpointReader.readAll(truncated))
        .isInstanceOf(TensorFormatException.class)
        .hasMessageContaining(truncated.toString())
        .hasMessageContaining("truncated or corrupt zip");
  }

  @Test
  void refusesTheLegacyFormatWithAHint() throws IOException {
    byte[] legacy =
        new PickleWriter()
            .protocol(2)
            .raw(0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19)
            .stop()
            .toBytes();
    Path file = Files.write(temp.resolve("pytorch_model.bin"), legacy);

    assertThatThrownBy(() -> PyTorchCheckpointReader.readAll(file))
        .isInstanceOf(TensorFormatException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("legacy PyTorch format")
        .hasMessageContaining("model.safetensors");
  }

  @Test
  void refusesAFileThatIsNotAZip() throws IOException {
    Path file = Files.writeString(temp.resolve("pytorch_model.bin"), "<html>404</html>");

    assertThatThrownBy(() -> PyTorchCheckpointReader.readAll(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a PyTorch zip checkpoint");
  }

  @Test
  void refusesADisallowedGlobalWithoutRunningIt() throws IOException {
    byte[] pickle =
        new PickleWriter()
            .protocol(2)
            .global("os", "system")
            .mark()
            .text("touch " + temp.resolve("pwned"))
            .tuple()
            .reduce()
            .stop()
            .toBytes();
    Path file =
        TorchCheckpointWriter.writeArchive(
            temp.resolve("pytorch_model.bin"), pickle, Map.of(), null);

    assertThatThrownBy(() -> PyTorchCheckpointReader.readAll(file))
        .isInstanceOf(TensorFormatException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("refusing global 'os.system'");
  }

  @Test
  void refusesAnUnsupportedDtypeNamingTheKey() throws IOException {
    Path file =
        new TorchCheckpointWriter()
            .tensor("steps", "LongStorage", "0", 1, 0, new long[] {1}, new long[] {1})
            .storage("0", new byte[8])
            .write(temp.resolve("pytorch_model.bin"));

    assertThatThrownBy(() -> PyTorchCheckpointReader.readAll(file))
        .isInstanceOf(TensorFormatException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("'steps'")
        .hasMessageContaining("int64 (torch.LongStorage)");
  }

  @Test
  void refusesBigEndianArchives() throws IOException {
    Path file =
        new TorchCheckpointWriter()
            .tensor("weight", "FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
            .floatStorage("0", 1)
            .byteOrder("big")
            .write(temp.resolve("pytorch_model.bin"));

    assertThatThrownBy(() -> PyTorchCheckpointReader.readAll(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("'big'-endian");
  }

  @Test
  void refusesAMissingStorageEntryNamingTheKey() throws IOException {
    Path file =
        new TorchCheckpointWriter()
            .tensor("weight", "FloatStorage", "7", 1, 0, new long[] {1}, new long[] {1})
            .write(temp.resolve("pytorch_model.bin"));

    assertThatThrownBy(() -> PyTorchCheckpointReader.readAll(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("'weight'")
        .hasMessageContaining("archive/data/7 is missing");
  }

  @Test
  void refusesAStorageShorterThanTheTensorNamingTheKey() throws IOException {
    Path file =
        new TorchCheckpointWriter()
            .tensor("weight", "FloatStorage", "0", 4, 0, new long[] {2, 2}, new long[] {2, 1})
            .floatStorage("0", 1, 2, 3)
            .write(temp.resolve("pytorch_model.bin"));

    assertThatThrownBy(() -> PyTorchCheckpointReader.readAll(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("'weight' needs 4 elements")
        .hasMessageContaining("holds only 3");
  }

  @Test
  void refusesAViewBeyondItsDeclaredStorage() throws IOException {
    Path file =
        new TorchCheckpointWriter()
            .tensor("weight", "FloatStorage", "0", 2, 1, new long[] {2}, new long[] {1})
            .floatStorage("0", 1, 2, 3)
            .write(temp.resolve("pytorch_model.bin"));

    assertThatThrownBy(() -> PyTorchCheckpointReader.readAll(file))
        .hasMessageContaining("'weight'")
        .hasMessageContaining("declares only 2");
  }

  @Test
  void refusesANestedCheckpoint() throws IOException {
    byte[] pickle =
        new PickleWriter()
            .protocol(2)
            .emptyDict()
            .text("model")
            .emptyDict()
            .opcode('s')
            .stop()
            .toBytes();
    Path file =
        TorchCheckpointWriter.writeArchive(
            temp.resolve("pytorch_model.bin"), pickle, Map.of(), null);

    assertThatThrownBy(() -> PyTorchCheckpointReader.readAll(file))
        .hasMessageContaining("'model'")
        .hasMessageContaining("not a tensor");
  }
}
