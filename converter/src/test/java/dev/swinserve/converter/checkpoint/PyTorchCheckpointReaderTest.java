package dev.swinserve.converter.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.format.safetensors.SafetensorsFile;
import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyTorchCheckpointReaderTest {

  private static final Path FIXTURE = Fixtures.checkpoint("swinv2-mini-window4");

  @TempDir Path temp;

  @Test
  void readsTheSameTensorsAsTheSafetensorsFixtureBitForBit() {
    Map<String, FloatTensor> pytorch =
        PyTorchCheckpointReader.readAll(FIXTURE.resolve("pytorch_model.bin"));
    Map<String, FloatTensor> safetensors =
        SafetensorsFile.readAll(FIXTURE.resolve("model.safetensors"));

    assertThat(pytorch.keySet()).containsExactlyInAnyOrderElementsOf(safetensors.keySet());
    safetensors.forEach(
        (key, expected) -> {
          FloatTensor actual = pytorch.get(key);
          assertThat(actual.shape()).as(key + " shape").containsExactly(expected.shape());
          assertThat(Arrays.mismatch(bits(actual.data()), bits(expected.data())))
              .as(key + ": index of the first value that differs")
              .isEqualTo(-1);
        });
  }

  @Test
  void keepsTheStateDictOrder() {
    Map<String, FloatTensor> pytorch =
        PyTorchCheckpointReader.readAll(FIXTURE.resolve("pytorch_model.bin"));

    assertThat(pytorch.keySet())
        .startsWith(
            "swinv2.embeddings.patch_embeddings.projection.weight",
            "swinv2.embeddings.patch_embeddings.projection.bias",
            "swinv2.embeddings.norm.weight");
    assertThat(pytorch.keySet()).endsWith("classifier.weight", "classifier.bias");
  }

  @Test
  void readsAPickleThatCPythonWroteWithProtocolFour() throws Exception {
    // Made by src/test/resources/checkpoint/make_protocol4_state_dict.py: STACK_GLOBAL, MEMOIZE,
    // FRAME, a parameter, a shared transposed storage and an OrderedDict with _metadata (BUILD).
    Path file = Path.of(getClass().getResource("/checkpoint/protocol4-state-dict.bin").toURI());

    Map<String, FloatTensor> tensors = PyTorchCheckpointReader.readAll(file);

    assertThat(tensors.keySet()).containsExactly("a.weight", "a.bias", "b.weight");
    assertThat(tensors.get("a.weight").shape()).containsExactly(2, 3);
    assertThat(tensors.get("a.weight").data()).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(tensors.get("a.bias").data()).containsExactly(1.5f, -0.5f);
    assertThat(tensors.get("b.weight").data()).containsExactly(0, 3, 1, 4, 2, 5);
  }

  @Test
  void readsNonContiguousViewsRowMajor() throws IOException {
    Path file =
        new TorchCheckpointWriter()
            // the transpose of [[0, 1, 2], [3, 4, 5]]
            .tensor("transposed", "FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3})
            // every other element of [[1, 2, 3, 4], [5, 6, 7, 8]] from column 1 of 0..9
            .tensor("strided", "FloatStorage", "1", 10, 1, new long[] {2, 2}, new long[] {4, 2})
            .floatStorage("0", 0, 1, 2, 3, 4, 5)
            .floatStorage("1", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
            .write(temp.resolve("pytorch_model.bin"));

    Map<String, FloatTensor> tensors = PyTorchCheckpointReader.readAll(file);

    assertThat(tensors.get("transposed").shape()).containsExactly(3, 2);
    assertThat(tensors.get("transposed").data()).containsExactly(0, 3, 1, 4, 2, 5);
    assertThat(tensors.get("strided").data()).containsExactly(1, 3, 5, 7);
  }

  @Test
  void cutsTensorsThatShareAStorageAndKeepsTheirOrder() throws IOException {
    // A fused projection split into views, as tied or sliced weights are saved.
    Path file =
        new TorchCheckpointWriter()
            .tensor("query", "FloatStorage", "0", 6, 0, new long[] {2}, new long[] {1})
            .tensor("other", "FloatStorage", "1", 1, 0, new long[] {1}, new long[] {1})
            .tensor("value", "FloatStorage", "0", 6, 4, new long[] {2}, new long[] {1})
            .floatStorage("0", 10, 11, 12, 13, 14, 15)
            .floatStorage("1", 42)
            .write(temp.resolve("pytorch_model.bin"));

    Map<String, FloatTensor> tensors = PyTorchCheckpointReader.readAll(file);

    assertThat(tensors.keySet()).containsExactly("query", "other", "value");
    assertThat(tensors.get("query").data()).containsExactly(10, 11);
    assertThat(tensors.get("value").data()).containsExactly(14, 15);
    assertThat(tensors.get("other").data()).containsExactly(42);
  }

  @Test
  void widensHalfAndBfloat16Storages() throws IOException {
    // 1.5 and -0.5 in float16 are 0x3E00 and 0xB800; -2.0 in bfloat16 is 0xC000.
    Path file =
        new TorchCheckpointWriter()
            .tensor("half", "HalfStorage", "0", 2, 0, new long[] {2}, new long[] {1})
            .tensor("brain", "BFloat16Storage", "1", 1, 0, new long[] {1}, new long[] {1})
            .storage("0", TorchCheckpointWriter.littleEndianShorts(0x3E00, 0xB800))
            .storage("1", TorchCheckpointWriter.littleEndianShorts(0xC000))
            .write(temp.resolve("pytorch_model.bin"));

    Map<String, FloatTensor> tensors = PyTorchCheckpointReader.readAll(file);

    assertThat(tensors.get("half").data()).containsExactly(1.5f, -0.5f);
    assertThat(tensors.get("brain").data()).containsExactly(-2.0f);
  }

  @Test
  void readsEmptyAndScalarTensors() throws IOException {
    Path file =
        new TorchCheckpointWriter()
            .tensor("empty", "FloatStorage", "0", 0, 0, new long[] {0, 3}, new long[] {3, 1})
            .tensor("scalar", "FloatStorage", "1", 1, 0, new long[] {}, new long[] {})
            .storage("0", new byte[0])
            .floatStorage("1", 7)
            .write(temp.resolve("pytorch_model.bin"));

    Map<String, FloatTensor> tensors = PyTorchCheckpointReader.readAll(file);

    assertThat(tensors.get("empty").shape()).containsExactly(0, 3);
    assertThat(tensors.get("empty").data()).isEmpty();
    assertThat(tensors.get("scalar").shape()).isEmpty();
    assertThat(tensors.get("scalar").data()).containsExactly(7);
  }

  @Test
  void skipsExcludedTensorsWithoutCheckingTheirDtype() throws IOException {
    Path file =
        new TorchCheckpointWriter()
            .tensor("weight", "FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
            .tensor(
                "relative_position_index", "LongStorage", "1", 1, 0, new long[] {1}, new long[] {1})
            .floatStorage("0", 3)
            .storage("1", new byte[8])
            .write(temp.resolve("pytorch_model.bin"));

    Map<String, FloatTensor> tensors =
        PyTorchCheckpointReader.readAll(file, key -> !key.equals("relative_position_index"));

    assertThat(tensors).containsOnlyKeys("weight");
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }
}
