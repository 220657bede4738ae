package dev.swinserve.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A parsed configuration file, or one section of it, that remembers the line of every key, so that
 * binding it ({@link #bind}) can say where a refused value is. A section handed to another layer
 * (as the registry hands a {@code model.yaml}'s {@code runtime:} section to the server) stays
 * opaque to whoever carries it and is bound by whoever understands it. Immutable.
 */
public final class ConfigTree {

  private final String source;
  private final String prefix;
  private final JsonNode node;
  private final Map<String, Integer> lines;

  ConfigTree(String source, String prefix, JsonNode node, Map<String, Integer> lines) {
    this.source = source;
    this.prefix = prefix;
    this.node = node;
    this.lines = lines;
  }

  /**
   * Parses a YAML (or JSON) file; duplicate keys are refused here, everything else when bound.
   *
   * @throws ConfigException naming the file (and line) if it cannot be read or parsed
   */
  public static ConfigTree read(Path file) {
    return ConfigTreeReader.read(file);
  }

  /** Parses YAML text; {@code source} names it in errors. @see #read */
  public static ConfigTree parse(String text, String source) {
    return ConfigTreeReader.parse(text, source, false);
  }

  /** Parses JSON text with the same rules; {@code source} names it in errors. */
  public static ConfigTree parseJson(String text, String source) {
    return ConfigTreeReader.parse(text, source, true);
  }

  /** No settings at all: binding it gives the builder's defaults. */
  public static ConfigTree empty(String source) {
    return new ConfigTree(source, "", MissingNode.getInstance(), Map.of());
  }

  /** The section under {@code key}; empty where the key is absent or has no value. */
  public ConfigTree section(String key) {
    return new ConfigTree(source, qualify(key), node.path(key), lines);
  }

  /**
   * Sets the keys present in this tree on {@code builder} (keys absent keep the builder's values,
   * so a builder started from other settings is overridden key by key), then builds.
   *
   * @param builder a class whose fields or methods carry {@code @JsonProperty("key")}; nested
   *     sections are fields marked {@code @JsonMerge}
   * @throws ConfigException naming the file, the key and the line for an unknown key, a value of
   *     the wrong type or a {@link ConfigValueException} thrown by {@code build}
   */
  public <B, T> T bind(B builder, Function<? super B, T> build) {
    return ConfigBinder.bind(this, builder, build);
  }

  /** True when the tree sets nothing: absent, written without a value, or an empty mapping. */
  public boolean isEmpty() {
    return node.isMissingNode() || node.isNull() || (node.isContainerNode() && node.isEmpty());
  }

  /** Every key path this tree sets, dotted from its own top (list items as {@code key[0]}). */
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    String start = prefix.isEmpty() ? "" : prefix + ".";
    for (String key : lines.keySet()) {
      if (key.startsWith(start) && !key.contains("[")) {
        keys.add(key.substring(start.length()));
      }
    }
    return keys;
  }

  /** The file as errors name it. */
  public String source() {
    return source;
  }

  /** Where this section sits in its file, dotted; empty for the whole file. */
  public String prefix() {
    return prefix;
  }

  JsonNode node() {
    return node;
  }

  /** {@code key} (relative to this section) dotted from the file's top. */
  String qualify(String key) {
    return prefix.isEmpty() ? key : key.isEmpty() ? prefix : prefix + "." + key;
  }

  /** The line of {@code key} (dotted from the file's top), or of the nearest enclosing key. */
  OptionalInt line(String key) {
    for (String at = key; !at.isEmpty(); at = parent(at)) {
      Integer line = lines.get(at);
      if (line != null) {
        return OptionalInt.of(line);
      }
    }
    return OptionalInt.empty();
  }

  private static String parent(String key) {
    int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
    return cut < 0 ? "" : key.substring(0, cut);
  }

  /**
   * Equal when both set the same values (wherever they were read from); all empty trees are equal.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof ConfigTree tree
        && (isEmpty() ? tree.isEmpty() : node.equals(tree.node));
  }

  @Override
  public int hashCode() {
    return isEmpty() ? 0 : node.hashCode();
  }

  @Override
  public String toString() {
    return isEmpty() ? "{}" : node.toString();
  }
}
