package dev.swinserve.converter.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes pickle programs opcode by opcode, for tests that need pickles torch would write (or must
 * refuse) without Python. Opcode bytes are those of CPython's {@code pickletools}.
 */
final class PickleWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  PickleWriter protocol(int version) {
    return opcode(0x80).raw(version);
  }

  PickleWriter opcode(int opcode) {
    out.write(opcode);
    return this;
  }

  PickleWriter mark() {
    return opcode('(');
  }

  PickleWriter emptyDict() {
    return opcode('}');
  }

  PickleWriter emptyList() {
    return opcode(']');
  }

  PickleWriter emptyTuple() {
    return opcode(')');
  }

  /** TUPLE: the values since the last mark. */
  PickleWriter tuple() {
    return opcode('t');
  }

  PickleWriter newFalse() {
    return opcode(0x89);
  }

  PickleWriter none() {
    return opcode('N');
  }

  /** BINUNICODE: a str with a 4-byte length. */
  PickleWriter text(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    opcode('X').littleEndian(bytes.length, 4);
    out.writeBytes(bytes);
    return this;
  }

  /**
   * The shortest of BININT1, BININT2, BININT and LONG1 that holds {@code value}, as pickle does.
   */
  PickleWriter integer(long value) {
    if (value >= 0 && value < 0x100) {
      return opcode('K').raw((int) value);
    }
    if (value >= 0 && value < 0x10000) {
      return opcode('M').littleEndian(value, 2);
    }
    if (value == (int) value) {
      return opcode('J').littleEndian(value, 4);
    }
    return opcode(0x8a).raw(8).littleEndian(value, 8);
  }

  /** A tuple of ints, the way torch writes sizes and strides. */
  PickleWriter integers(long... values) {
    mark();
    for (long value : values) {
      integer(value);
    }
    return tuple();
  }

  /** GLOBAL: {@code module.name}, as protocol 2 names it. */
  PickleWriter global(String module, String name) {
    opcode('c');
    out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    return this;
  }

  PickleWriter persistentId() {
    return opcode('Q');
  }

  PickleWriter reduce() {
    return opcode('R');
  }

  PickleWriter setItems() {
    return opcode('u');
  }

  /** BINPUT: stores the top of the stack in memo slot {@code index} (below 256). */
  PickleWriter put(int index) {
    return opcode('q').raw(index);
  }

  /** BINGET: pushes memo slot {@code index} (below 256). */
  PickleWriter get(int index) {
    return opcode('h').raw(index);
  }

  PickleWriter stop() {
    return opcode('.');
  }

  /** Appends bytes as they are, for operands and deliberately corrupt programs. */
  PickleWriter raw(int... bytes) {
    for (int value : bytes) {
      out.write(value);
    }
    return this;
  }

  PickleWriter littleEndian(long value, int length) {
    for (int i = 0; i < length; i++) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
    return this;
  }

  byte[] toBytes() {
    return out.toByteArray();
  }
}
