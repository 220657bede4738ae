package dev.swinserve.converter.checkpoint;

import static dev.swinserve.converter.checkpoint.PickleOpcode.*;

import dev.swinserve.format.tensor.TensorFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal, safe pickle machine: it runs the binary opcodes of protocols 2 to 5 that PyTorch state
 * dicts use and builds plain Java values (see {@link PickleValues}). It never loads classes or runs
 * code: a global resolves only through the {@link PickleEnvironment}, and only an allowlisted
 * stand-in can be called. Any other opcode is refused by its byte.
 *
 * <p>Single use and not thread-safe; {@link #read} creates one per program.
 */
final class PickleReader {

  private final String source;
  private final PickleEnvironment environment;
  private final PickleInput input;
  private final PickleStack stack = new PickleStack();
  private final Map<Long, Object> memo = new HashMap<>();

  private PickleReader(String source, PickleEnvironment environment, byte[] program) {
    this.source = source;
    this.environment = environment;
    this.input = new PickleInput(program);
  }

  /**
   * Runs {@code program} and returns the value its {@code STOP} leaves.
   *
   * @param source names the program in error messages (the file and the archive entry)
   * @throws TensorFormatException naming {@code source}, the byte position and the problem
   */
  static Object read(String source, byte[] program, PickleEnvironment environment) {
    return new PickleReader(source, environment, program).run();
  }

  private Object run() {
    int opcodePosition = 0;
    try {
      while (!input.atEnd()) {
        opcodePosition = input.position();
        int opcode = input.readUnsignedByte();
        if (opcode == STOP) {
          return stack.pop();
        }
        execute(opcode);
      }
      throw new MalformedPickleException("truncated: the program ends without STOP");
    } catch (MalformedPickleException e) {
      throw new TensorFormatException(
          source + ": " + e.getMessage() + " (pickle byte " + opcodePosition + ")", e);
    }
  }

  private void execute(int opcode) {
    switch (opcode) {
      case PROTO -> checkProtocol(input.readUnsignedByte());
      case FRAME -> input.readLong(); // frames only help buffered readers; the program is in memory
      case MARK -> stack.mark();
      case POP -> stack.pop();
      case POP_MARK -> stack.popToMark();
      case DUP -> stack.push(stack.peek());
      case NONE -> stack.push(null);
      case NEWTRUE -> stack.push(Boolean.TRUE);
      case NEWFALSE -> stack.push(Boolean.FALSE);
      case BININT -> stack.push((long) input.readInt());
      case BININT1 -> stack.push((long) input.readUnsignedByte());
      case BININT2 -> stack.push((long) input.readUnsignedShort());
      case LONG1 -> stack.push(input.readSignedInteger(input.readUnsignedByte()));
      case LONG4 -> stack.push(input.readSignedInteger(input.readInt()));
      case BINFLOAT -> stack.push(input.readBigEndianDouble());
      case BINUNICODE -> stack.push(input.readUtf8(input.readUnsignedInt()));
      case SHORT_BINUNICODE -> stack.push(input.readUtf8(input.readUnsignedByte()));
      case BINUNICODE8 -> stack.push(input.readUtf8(input.readLong()));
      // torch.load decodes Python 2 str as UTF-8; so do we.
      case BINSTRING -> stack.push(input.readUtf8(input.readInt()));
      case SHORT_BINSTRING -> stack.push(input.readUtf8(input.readUnsignedByte()));
      case BINBYTES -> stack.push(input.readBytes(input.readUnsignedInt()));
      case SHORT_BINBYTES -> stack.push(input.readBytes(input.readUnsignedByte()));
      case BINBYTES8 -> stack.push(input.readBytes(input.readLong()));
      case EMPTY_TUPLE -> stack.push(List.of());
      case TUPLE -> stack.push(tuple(stack.popToMark()));
      case TUPLE1 -> stack.push(tuple(popValues(1)));
      case TUPLE2 -> stack.push(tuple(popValues(2)));
      case TUPLE3 -> stack.push(tuple(popValues(3)));
      case EMPTY_LIST -> stack.push(new ArrayList<>());
      case LIST -> stack.push(new ArrayList<>(stack.popToMark()));
      case APPEND -> appendTo(popValues(1));
      case APPENDS -> appendTo(stack.popToMark());
      case EMPTY_DICT -> stack.push(new LinkedHashMap<>());
      case DICT -> {
        Map<Object, Object> dictionary = new LinkedHashMap<>();
        putPairs(dictionary, stack.popToMark());
        stack.push(dictionary);
      }
      case SETITEM -> setItems(popValues(2));
      case SETITEMS -> setItems(stack.popToMark());
      case BINPUT -> memo.put((long) input.readUnsignedByte(), stack.peek());
      case LONG_BINPUT -> memo.put(input.readUnsignedInt(), stack.peek());
      case MEMOIZE -> memo.put((long) memo.size(), stack.peek());
      case BINGET -> stack.push(recall(input.readUnsignedByte()));
      case LONG_BINGET -> stack.push(recall(input.readUnsignedInt()));
      case GLOBAL -> {
        String module = input.readLine();
        stack.push(environment.global(module, input.readLine()));
      }
      case STACK_GLOBAL -> {
        String name = PickleValues.string(stack.pop(), "STACK_GLOBAL name");
        String module = PickleValues.string(stack.pop(), "STACK_GLOBAL module");
        stack.push(environment.global(module, name));
      }
      case REDUCE, NEWOBJ -> call();
      case BUILD -> build();
      case BINPERSID -> stack.push(environment.persistentLoad(stack.pop()));
      default ->
          throw new MalformedPickleException(
              String.format(
                  "unsupported pickle opcode 0x%02x; a PyTorch state dict does not use it",
                  opcode));
    }
  }

  private static void checkProtocol(int protocol) {
    if (protocol > HIGHEST_PROTOCOL) {
      throw new MalformedPickleException(
          "pickle protocol " + protocol + " is newer than " + HIGHEST_PROTOCOL);
    }
  }

  private List<Object> popValues(int count) {
    Object[] popped = new Object[count];
    for (int i = count - 1; i >= 0; i--) {
      popped[i] = stack.pop();
    }
    return new ArrayList<>(Arrays.asList(popped));
  }

  // Tuples may hold None, which List.of refuses; unmodifiable also tells them apart from lists.
  private static List<Object> tuple(List<Object> items) {
    return Collections.unmodifiableList(items);
  }

  private void appendTo(List<Object> items) {
    Object target = stack.peek();
    if (!(target instanceof ArrayList<?>)) {
      throw new MalformedPickleException(
          "APPEND target should be a list, found " + PickleValues.describe(target));
    }
    PickleValues.sequence(target, "APPEND target").addAll(items);
  }

  private void setItems(List<Object> pairs) {
    putPairs(PickleValues.dictionary(stack.peek(), "SETITEM target"), pairs);
  }

  private static void putPairs(Map<Object, Object> dictionary, List<Object> pairs) {
    if (pairs.size() % 2 != 0) {
      throw new MalformedPickleException("odd number of values for dict items: " + pairs.size());
    }
    for (int i = 0; i < pairs.size(); i += 2) {
      dictionary.put(PickleValues.dictionaryKey(pairs.get(i), "dict key"), pairs.get(i + 1));
    }
  }

  private Object recall(long index) {
    if (!memo.containsKey(index)) {
      throw new MalformedPickleException("memo slot " + index + " was never stored");
    }
    return memo.get(index);
  }

  private void call() {
    List<Object> arguments = PickleValues.sequence(stack.pop(), "call arguments");
    Object target = stack.pop();
    PickleCallable callable =
        PickleValues.instance(
            target, PickleCallable.class, "an allowlisted callable", "call target");
    stack.push(callable.call(arguments));
  }

  // BUILD sets instance attributes. The only instances here are dicts (an OrderedDict state dict
  // carries a `_metadata` attribute with module versions), which nothing downstream needs.
  private void build() {
    Object state = stack.pop();
    Object target = stack.peek();
    if (!(target instanceof Map<?, ?>) || !(state == null || state instanceof Map<?, ?>)) {
      throw new MalformedPickleException(
          "BUILD of "
              + PickleValues.describe(target)
              + " with state "
              + PickleValues.describe(state)
              + " is not supported; only dict attributes are");
    }
  }
}
