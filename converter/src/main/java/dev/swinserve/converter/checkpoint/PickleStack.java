package dev.swinserve.converter.checkpoint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The pickle machine's stack and its marks. Values may be {@code null} (Python's {@code None}),
 * which is why this is a list and not a {@link Deque}.
 */
final class PickleStack {

  private final List<Object> values = new ArrayList<>();
  private final Deque<Integer> marks = new ArrayDeque<>();

  void push(Object value) {
    values.add(value);
  }

  Object pop() {
    requireAboveMark(1);
    return values.remove(values.size() - 1);
  }

  Object peek() {
    requireAboveMark(1);
    return values.get(values.size() - 1);
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  void mark() {
    marks.push(values.size());
  }

  /** Removes the topmost mark and returns the values above it, bottom first. */
  List<Object> popToMark() {
    if (marks.isEmpty()) {
      throw new MalformedPickleException("no MARK to pop to");
    }
    int mark = marks.pop();
    List<Object> above = values.subList(mark, values.size());
    List<Object> result = new ArrayList<>(above);
    above.clear();
    return result;
  }

  // Opcodes that pop single values must not reach below the topmost mark: Python refuses that too.
  private void requireAboveMark(int count) {
    int floor = marks.isEmpty() ? 0 : marks.peek();
    if (values.size() - floor < count) {
      throw new MalformedPickleException("stack underflow");
    }
  }
}
