package dev.swinserve.converter.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.swinserve.format.tensor.TensorFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PickleReaderTest {

  /** Resolves every global to a callable that reports how it was called; nothing is run. */
  private static final class RecordingEnvironment implements PickleEnvironment {

    final List<String> globals = new ArrayList<>();

    @Override
    public Object global(String module, String name) {
      String qualified = module + "." + name;
      globals.add(qualified);
      return (PickleCallable) arguments -> List.of(qualified, arguments);
    }

    @Override
    public Object persistentLoad(Object persistentId) {
      return Map.of("persistent", persistentId);
    }
  }

  private final RecordingEnvironment environment = new RecordingEnvironment();

  @Test
  void readsScalarsIntoADictionaryInOrder() {
    byte[] program =
        new PickleWriter()
            .protocol(2)
            .emptyDict()
            .mark()
            .text("small")
            .integer(200)
            .text("medium")
            .integer(40_000)
            .text("negative")
            .integer(-7)
            .text("wide")
            .integer(1L << 40)
            .text("float")
            .opcode('G')
            .raw(0x3f, 0xf8, 0, 0, 0, 0, 0, 0) // 1.5, big-endian
            .text("true")
            .opcode(0x88)
            .text("none")
            .none()
            .text("short")
            .opcode(0x8c)
            .raw(2, 'h', 'i') // SHORT_BINUNICODE
            .setItems()
            .stop()
            .toBytes();

    Object result = PickleReader.read("test", program, environment);

    assertThat(PickleValues.dictionary(result, "result"))
        .containsExactly(
            entry("small", 200L),
            entry("medium", 40_000L),
            entry("negative", -7L),
            entry("wide", 1L << 40),
            entry("float", 1.5),
            entry("true", true),
            entry("none", null),
            entry("short", "hi"));
  }

  @Test
  void sharesMemoizedValues() {
    byte[] program =
        new PickleWriter()
            .protocol(2)
            .emptyList()
            .put(0)
            .mark()
            .text("shared")
            .put(1)
            .get(1)
            .opcode('e') // APPENDS
            .get(0)
            .opcode('a') // APPEND the list to itself, as a cycle
            .stop()
            .toBytes();

    List<Object> result =
        PickleValues.sequence(PickleReader.read("test", program, environment), "result");

    assertThat(result).hasSize(3);
    assertThat(result.get(0)).isSameAs(result.get(1)).isEqualTo("shared");
    assertThat(result.get(2)).isSameAs(result);
  }

  @Test
  void runsProtocolFourOpcodesThroughTheEnvironment() {
    // FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL, TUPLE2, REDUCE and BINPERSID, as Python 3.8
    // writes.
    byte[] program =
        new PickleWriter()
            .protocol(4)
            .opcode(0x95)
            .littleEndian(32, 8)
            .opcode(0x8c)
            .raw(5)
            .raw('t', 'o', 'r', 'c', 'h')
            .opcode(0x94)
            .opcode(0x8c)
            .raw(4)
            .raw('f', 'u', 'l', 'l')
            .opcode(0x94)
            .opcode(0x93)
            .opcode(0x94)
            .integer(3)
            .text("key")
            .opcode(0x86)
            .persistentId()
            .opcode(0x85)
            .reduce()
            .stop()
            .toBytes();

    Object result = PickleReader.read("test", program, environment);

    assertThat(environment.globals).containsExactly("torch.full");
    assertThat(result)
        .isEqualTo(List.of("torch.full", List.of(Map.of("persistent", List.of(3L, "key")))));
  }

  @Test
  void refusesAProgramWithoutStop() {
    byte[] program = new PickleWriter().protocol(2).emptyDict().toBytes();

    assertThatThrownBy(
            () -> PickleReader.read("model.bin (archive/data.pkl)", program, environment))
        .isInstanceOf(TensorFormatException.class)
        .hasMessageContaining("model.bin (archive/data.pkl)")
        .hasMessageContaining("without STOP");
  }

  @Test
  void checksLengthsBeforeAllocating() {
    byte[] program =
        new PickleWriter()
            .protocol(2)
            .opcode('X')
            .littleEndian(0x7fff_fff0L, 4)
            .raw('a')
            .stop()
            .toBytes();

    assertThatThrownBy(() -> PickleReader.read("test", program, environment))
        .isInstanceOf(TensorFormatException.class)
        .hasMessageContaining("truncated: 2147483632 bytes needed")
        .hasMessageContaining("pickle byte 2");
  }

  @Test
  void refusesOpcodesItDoesNotKnow() {
    // INST names a class and instantiates it; protocol 0 pickles only.
    byte[] program = new PickleWriter().protocol(2).mark().raw('i').stop().toBytes();

    assertThatThrownBy(() -> PickleReader.read("test", program, environment))
        .hasMessageContaining("unsupported pickle opcode 0x69");
  }

  @Test
  void refusesToCallAValueThatIsNoAllowlistedCallable() {
    byte[] program =
        new PickleWriter().protocol(2).text("eval").emptyTuple().reduce().stop().toBytes();

    assertThatThrownBy(() -> PickleReader.read("test", program, environment))
        .hasMessageContaining("call target should be an allowlisted callable, found 'eval'");
  }

  @Test
  void refusesToPopBelowAMark() {
    byte[] program = new PickleWriter().protocol(2).integer(1).mark().opcode(0x85).stop().toBytes();

    assertThatThrownBy(() -> PickleReader.read("test", program, environment))
        .hasMessageContaining("stack underflow");
  }
}
