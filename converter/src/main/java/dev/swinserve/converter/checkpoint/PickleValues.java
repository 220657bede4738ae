package dev.swinserve.converter.checkpoint;

import java.util.List;
import java.util.Map;

/**
 * Type checks for the Java values the pickle machine builds: Python {@code int} is {@link Long},
 * {@code float} is {@link Double}, {@code str} is {@link String}, {@code bytes} is {@code byte[]},
 * {@code None} is {@code null}, a list is a mutable {@link java.util.ArrayList}, a tuple an
 * unmodifiable {@link List}, a dict a {@link java.util.LinkedHashMap}. A value of the wrong type is
 * a malformed pickle, never a {@link ClassCastException}.
 */
final class PickleValues {

  private PickleValues() {}

  static long integer(Object value, String role) {
    if (value instanceof Long number) {
      return number;
    }
    throw mismatch(value, "an int", role);
  }

  static String string(Object value, String role) {
    if (value instanceof String text) {
      return text;
    }
    throw mismatch(value, "a str", role);
  }

  /** A tuple or a list. */
  @SuppressWarnings("unchecked")
  static List<Object> sequence(Object value, String role) {
    if (value instanceof List<?>) {
      return (List<Object>) value;
    }
    throw mismatch(value, "a tuple", role);
  }

  @SuppressWarnings("unchecked")
  static Map<Object, Object> dictionary(Object value, String role) {
    if (value instanceof Map<?, ?>) {
      return (Map<Object, Object>) value;
    }
    throw mismatch(value, "a dict", role);
  }

  /**
   * {@code value} if it may be a dict key here: a str, int, float, bool, None or bytes. Python also
   * allows tuples, but a state dict never needs them, and hashing a tuple costs time exponential in
   * its nesting when its items are shared (memo references make that a few bytes a level); lists
   * and dicts are unhashable in Python too, and a list holding itself would overflow the stack.
   */
  static Object dictionaryKey(Object value, String role) {
    if (value == null
        || value instanceof String
        || value instanceof Long
        || value instanceof Double
        || value instanceof Boolean
        || value instanceof byte[]) {
      return value;
    }
    throw mismatch(value, "a str, int, float, bool, None or bytes", role);
  }

  static <T> T instance(Object value, Class<T> type, String description, String role) {
    if (type.isInstance(value)) {
      return type.cast(value);
    }
    throw mismatch(value, description, role);
  }

  /**
   * A short, bounded description of a value for error messages (never the value's whole content).
   */
  static String describe(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof String text) {
      return text.length() <= 60 ? "'" + text + "'" : "a str of " + text.length() + " characters";
    }
    if (value instanceof Long || value instanceof Double || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof List<?> list) {
      return "a tuple or list of " + list.size();
    }
    if (value instanceof Map<?, ?> map) {
      return "a dict of " + map.size();
    }
    if (value instanceof byte[] bytes) {
      return bytes.length + " bytes";
    }
    return value.toString();
  }

  private static MalformedPickleException mismatch(Object value, String expected, String role) {
    return new MalformedPickleException(
        role + " should be " + expected + ", found " + describe(value));
  }
}
