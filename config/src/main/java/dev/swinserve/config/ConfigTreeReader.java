package dev.swinserve.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Reads YAML (or JSON) into a tree while noting the line of every key (Jackson's trees forget where
 * their values were). Duplicate keys are refused by the parser itself. Not thread-safe; one per
 * file.
 */
final class ConfigTreeReader {

  /** {@code key:} without a value is null (absent), {@code key: ''} the empty string. */
  private static final YAMLFactory YAML =
      YAMLFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
          .build();

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private final String source;
  private final Map<String, Integer> lines = new HashMap<>();

  private ConfigTreeReader(String source) {
    this.source = source;
  }

  static ConfigTree read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "", OptionalInt.empty(), "cannot read: " + e, e);
    }
    return parse(text, file.toString(), file.getFileName().toString().endsWith(".json"));
  }

  static ConfigTree parse(String text, String source, boolean json) {
    return new ConfigTreeReader(source).tree(text, json);
  }

  private ConfigTree tree(String text, boolean json) {
    try (JsonParser parser = json ? JSON.createParser(text) : YAML.createParser(text)) {
      try {
        JsonNode root = parser.nextToken() == null ? MissingNode.getInstance() : value(parser, "");
        return new ConfigTree(source, "", root, Map.copyOf(lines));
      } catch (JsonProcessingException e) {
        OptionalInt line =
            e.getLocation() == null || e.getLocation().getLineNr() < 1
                ? OptionalInt.empty()
                : OptionalInt.of(e.getLocation().getLineNr());
        throw new ConfigException(
            source,
            path(parser.getParsingContext()),
            line,
            (json ? "not valid JSON: " : "not valid YAML: ") + e.getOriginalMessage(),
            e);
      }
    } catch (IOException e) {
      throw new ConfigException(source, "", OptionalInt.empty(), "cannot read: " + e, e);
    }
  }

  /** The dotted key where the parser stands, e.g. {@code keepalive.time_ms} or {@code sizes[2]}. */
  private static String path(JsonStreamContext context) {
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
      if (at.inArray()) {
        path.insert(0, "[" + Math.max(0, at.getCurrentIndex()) + "]");
      } else if (at.getCurrentName() != null) {
        path.insert(
            0,
            (at.getParent() != null && !at.getParent().inRoot() ? "." : "") + at.getCurrentName());
      }
    }
    return path.toString();
  }

  /** The value at the parser's current token, {@code path} being its key. */
  private JsonNode value(JsonParser parser, String path) throws IOException {
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT:
        {
          ObjectNode object = NODES.objectNode();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            String key = path.isEmpty() ? name : path + "." + name;
            lines.put(key, parser.currentTokenLocation().getLineNr());
            parser.nextToken();
            object.set(name, value(parser, key));
          }
          return object;
        }
      case START_ARRAY:
        {
          ArrayNode array = NODES.arrayNode();
          for (int index = 0; parser.nextToken() != JsonToken.END_ARRAY; index++) {
            String key = path + "[" + index + "]";
            lines.put(key, parser.currentTokenLocation().getLineNr());
            array.add(value(parser, key));
          }
          return array;
        }
      case VALUE_STRING:
        return NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT:
        return switch (parser.getNumberType()) {
          case INT -> NODES.numberNode(parser.getIntValue());
          case LONG -> NODES.numberNode(parser.getLongValue());
          default -> NODES.numberNode(parser.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(parser.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        return NODES.textNode(parser.getText());
    }
  }
}
