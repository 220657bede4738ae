package dev.swinserve.bench.load;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes indented JSON into a string, placing commas and escapes so callers only say what comes
 * next. Not thread-safe; no validation beyond what keeps commas right.
 */
public final class JsonWriter {

  private final StringBuilder out = new StringBuilder();
  // One entry per open object or array: whether it has no element yet.
  private final Deque<Boolean> empty = new ArrayDeque<>();
  private boolean afterName;

  JsonWriter beginObject() {
    return open('{');
  }

  JsonWriter endObject() {
    return close('}');
  }

  JsonWriter beginArray() {
    return open('[');
  }

  JsonWriter endArray() {
    return close(']');
  }

  JsonWriter name(String name) {
    element();
    out.append(quote(name)).append(": ");
    afterName = true;
    return this;
  }

  JsonWriter value(String value) {
    return raw(value == null ? "null" : quote(value));
  }

  JsonWriter value(long value) {
    return raw(Long.toString(value));
  }

  /** A number, or null for NaN and infinities, which JSON cannot hold. */
  JsonWriter value(double value) {
    return raw(Double.isFinite(value) ? Double.toString(value) : "null");
  }

  /** The JSON text; call once every object and array is closed. */
  @Override
  public String toString() {
    return out.toString();
  }

  /** {@code text} as a JSON string literal. */
  public static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        case '\t' -> quoted.append("\\t");
        default -> quoted.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return quoted.append('"').toString();
  }

  private JsonWriter open(char bracket) {
    element();
    out.append(bracket);
    empty.push(true);
    return this;
  }

  private JsonWriter close(char bracket) {
    if (!empty.pop()) {
      newline();
    }
    out.append(bracket);
    return this;
  }

  private JsonWriter raw(String text) {
    element();
    out.append(text);
    return this;
  }

  /**
   * Separates what comes next from what came before: nothing after a name, else comma and newline.
   */
  private void element() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (empty.isEmpty()) {
      return;
    }
    if (!empty.pop()) {
      out.append(',');
    }
    empty.push(false);
    newline();
  }

  private void newline() {
    out.append('\n').append("  ".repeat(empty.size()));
  }
}
