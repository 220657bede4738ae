package dev.swinserve.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The one way configuration files become typed config objects, with the same rules for every file:
 * an unknown key, a value of the wrong type (no string for a number, no fraction for an integer, no
 * number for a string) and a value its config class refuses ({@link Range}, {@link
 * ConfigValueException}) are errors naming the file, the key and the line; a duplicate key is
 * refused when the file is parsed ({@link ConfigTree#read}); a key written without a value keeps
 * its default. Defaults live in the builder the tree is bound onto, one place per config.
 *
 * <p>Builders name every key explicitly with {@code @JsonProperty("key")} on a field or a
 * one-argument method (nothing is bound by naming convention), and mark nested sections with
 * {@code @JsonMerge} so that a section's absent keys keep their values. Thread-safe.
 */
public final class ConfigBinder {

  private static final ObjectMapper MAPPER = mapper();

  private ConfigBinder() {}

  private static ObjectMapper mapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // Only keys declared with @JsonProperty bind; creators stay visible for list and map
            // items.
            .visibility(PropertyAccessor.FIELD, Visibility.NONE)
            .visibility(PropertyAccessor.GETTER, Visibility.NONE)
            .visibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
            .visibility(PropertyAccessor.SETTER, Visibility.NONE)
            .defaultSetterInfo(JsonSetter.Value.construct(Nulls.SKIP, Nulls.FAIL))
            .build();
    // A string is no number or boolean, a number no string or boolean, a fraction no integer; an
    // integer is a fine fractional number.
    refuse(
        mapper,
        LogicalType.Textual,
        CoercionInputShape.Integer,
        CoercionInputShape.Float,
        CoercionInputShape.Boolean);
    refuse(
        mapper,
        LogicalType.Integer,
        CoercionInputShape.String,
        CoercionInputShape.EmptyString,
        CoercionInputShape.Float,
        CoercionInputShape.Boolean);
    refuse(
        mapper,
        LogicalType.Float,
        CoercionInputShape.String,
        CoercionInputShape.EmptyString,
        CoercionInputShape.Boolean);
    refuse(
        mapper,
        LogicalType.Boolean,
        CoercionInputShape.String,
        CoercionInputShape.EmptyString,
        CoercionInputShape.Integer,
        CoercionInputShape.Float);
    return mapper;
  }

  private static void refuse(ObjectMapper mapper, LogicalType type, CoercionInputShape... shapes) {
    for (CoercionInputShape shape : shapes) {
      mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
    }
  }

  static <B, T> T bind(ConfigTree tree, B builder, Function<? super B, T> build) {
    if (!tree.node().isMissingNode() && !tree.node().isNull()) {
      requireMappings(tree, builder.getClass(), tree.node(), "");
      try {
        MAPPER.readerForUpdating(builder).readValue(tree.node());
      } catch (JsonMappingException e) {
        throw refusal(tree, e);
      } catch (IOException e) {
        throw new ConfigException(
            tree.source(), tree.prefix(), tree.line(tree.prefix()), e.getMessage(), e);
      }
    }
    try {
      return build.apply(builder);
    } catch (ConfigValueException e) {
      String key = tree.qualify(e.key());
      throw new ConfigException(tree.source(), key, tree.line(key), e.problem(), e);
    }
  }

  /**
   * Jackson merging into an existing object skips a value that is not a mapping without a word, so
   * the builder and each of its {@code @JsonMerge} sections is checked to be one first.
   */
  private static void requireMappings(
      ConfigTree tree, Class<?> type, JsonNode node, String relative) {
    if (!node.isObject()) {
      String key = tree.qualify(relative);
      throw new ConfigException(
          tree.source(), key, tree.line(key), "must be a mapping, got " + node, null);
    }
    for (Field field : type.getDeclaredFields()) {
      String key = key(field, "");
      JsonNode value = key == null ? null : node.get(key);
      if (value != null && !value.isNull() && field.isAnnotationPresent(JsonMerge.class)) {
        requireMappings(
            tree, field.getType(), value, relative.isEmpty() ? key : relative + "." + key);
      }
    }
  }

  private static ConfigException refusal(ConfigTree tree, JsonMappingException e) {
    StringBuilder relative = new StringBuilder();
    StringBuilder pointer = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        relative.append(relative.length() == 0 ? "" : ".").append(reference.getFieldName());
        pointer.append('/').append(reference.getFieldName().replace("~", "~0").replace("/", "~1"));
      } else if (reference.getIndex() >= 0) {
        relative.append('[').append(reference.getIndex()).append(']');
        pointer.append('/').append(reference.getIndex());
      }
    }
    String key = tree.qualify(relative.toString());
    JsonNode value = tree.node().at(pointer.toString());
    String problem;
    if (e instanceof UnrecognizedPropertyException unknown) {
      Set<String> known = new TreeSet<>();
      if (unknown.getKnownPropertyIds() != null) {
        unknown.getKnownPropertyIds().forEach(id -> known.add(id.toString()));
      }
      problem = "is an unknown key (known keys here: " + String.join(", ", known) + ")";
    } else if (refusedBySetter(e) != null) {
      ConfigValueException refused = refusedBySetter(e);
      problem = refused.problem();
    } else {
      Class<?> target = targetType(e);
      problem =
          target == null
              ? firstLine(e.getOriginalMessage())
              : "must be "
                  + describe(target)
                  + ", got "
                  + (value.isMissingNode() ? "nothing" : value.toString());
    }
    return new ConfigException(tree.source(), key, tree.line(key), problem, e);
  }

  private static ConfigValueException refusedBySetter(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConfigValueException refused) {
        return refused;
      }
    }
    return null;
  }

  private static Class<?> targetType(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
        return mismatch.getTargetType();
      }
      if (cause instanceof InputCoercionException coercion && coercion.getTargetType() != null) {
        return coercion.getTargetType();
      }
    }
    return null;
  }

  private static String describe(Class<?> type) {
    if (type == int.class || type == Integer.class || type == short.class || type == Short.class) {
      return "an integer (at most " + Integer.MAX_VALUE + ")";
    }
    if (type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == double.class
        || type == Double.class
        || type == float.class
        || type == Float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a non-empty string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return "a mapping";
  }

  private static String firstLine(String message) {
    int end = message == null ? -1 : message.indexOf('\n');
    return end < 0 ? String.valueOf(message) : message.substring(0, end);
  }

  /**
   * Every key a builder binds, dotted, nested sections ({@code @JsonMerge} fields) included, e.g.
   * for a test that a documented example file names them all.
   */
  public static Set<String> keys(Class<?> builder) {
    Set<String> keys = new TreeSet<>();
    collect(builder, "", keys);
    return keys;
  }

  private static void collect(Class<?> type, String prefix, Set<String> keys) {
    for (Field field : type.getDeclaredFields()) {
      String key = key(field, prefix);
      if (key != null) {
        keys.add(key);
        if (field.isAnnotationPresent(JsonMerge.class)) {
          collect(field.getType(), key + ".", keys);
        }
      }
    }
    for (Method method : type.getDeclaredMethods()) {
      String key = key(method, prefix);
      if (key != null) {
        keys.add(key);
      }
    }
  }

  private static String key(AnnotatedElement element, String prefix) {
    JsonProperty property = element.getAnnotation(JsonProperty.class);
    return property == null ? null : prefix + property.value();
  }
}
