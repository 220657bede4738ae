package dev.swinserve.format.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.tensor.TensorFormatException;
import dev.swinserve.format.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

  @TempDir Path temp;

  @Test
  void readsTheReferenceInputsAndOutputs() {
    Map<String, FloatTensor> io =
        SafetensorsFile.readAll(
            Fixtures.checkpoint("swinv2-mini-window4").resolve("io.safetensors"));

    assertThat(io).containsKeys("pixel_values", "logits");
    assertThat(io.get("pixel_values").rank()).isEqualTo(4);
    assertThat(io.get("pixel_values").shape()[1]).isEqualTo(3);
    assertThat(io.get("logits").shape()[1]).isEqualTo(10);
  }

  @Test
  void widensHalfAndBfloat16() throws IOException {
    // 1.5 in F16 is 0x3E00; -2.0 in BF16 is 0xC000.
    Path file =
        write(
            "{\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[2,4]}}",
            new byte[] {0x00, 0x3E, 0x00, (byte) 0xC0});

    Map<String, FloatTensor> tensors = SafetensorsFile.readAll(file);

    assertThat(tensors.get("h").data()).containsExactly(1.5f);
    assertThat(tensors.get("b").data()).containsExactly(-2.0f);
  }

  @Test
  void refusesUnsupportedDtypeByName() throws IOException {
    Path file =
        write("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);

    assertThatThrownBy(() -> SafetensorsFile.readAll(file))
        .isInstanceOf(TensorFormatException.class)
        .hasMessageContaining("ids")
        .hasMessageContaining("I64")
        .hasMessageContaining(file.toString());
  }

  @Test
  void refusesTruncatedFile() throws IOException {
    Path whole = Fixtures.checkpoint("swinv2-mini-window4").resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(whole);
    Path truncated = temp.resolve("truncated.safetensors");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> SafetensorsFile.open(truncated))
        .isInstanceOf(TensorFormatException.class)
        .hasMessageContaining("truncated")
        .hasMessageContaining(truncated.toString());
  }

  @Test
  void refusesSizeThatDoesNotMatchShape() throws IOException {
    Path file =
        write("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .hasMessageContaining("'w'")
        .hasMessageContaining("needs 12 bytes");
  }

  private Path write(String header, byte[] data) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer =
        ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(json.length).put(json).put(data);
    Path file = temp.resolve("test.safetensors");
    Files.write(file, buffer.array());
    return file;
  }
}
