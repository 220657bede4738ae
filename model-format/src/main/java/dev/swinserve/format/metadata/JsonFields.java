package dev.swinserve.format.metadata;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed access to the keys of a JSON object, failing with an {@link IllegalArgumentException} that
 * names the source file and the key. Stateless.
 */
final class JsonFields {

  private final JsonNode object;
  private final String source;

  JsonFields(JsonNode object, String source) {
    if (object == null || !object.isObject()) {
      throw new IllegalArgumentException(
          source
              + ": expected a JSON object, got "
              + (object == null ? "nothing" : object.getNodeType()));
    }
    this.object = object;
    this.source = source;
  }

  boolean has(String key) {
    return object.hasNonNull(key);
  }

  JsonNode node(String key) {
    JsonNode value = object.get(key);
    if (value == null || value.isNull()) {
      throw invalid(key, "is missing");
    }
    return value;
  }

  int positiveInt(String key) {
    return positiveInt(key, node(key));
  }

  int positiveInt(String key, JsonNode value) {
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() <= 0) {
      throw invalid(key, "must be a positive integer, got " + value);
    }
    return value.intValue();
  }

  int integer(String key) {
    JsonNode value = node(key);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw invalid(key, "must be an integer, got " + value);
    }
    return value.intValue();
  }

  boolean bool(String key) {
    JsonNode value = node(key);
    if (!value.isBoolean()) {
      throw invalid(key, "must be true or false, got " + value);
    }
    return value.booleanValue();
  }

  boolean bool(String key, boolean fallback) {
    return has(key) ? bool(key) : fallback;
  }

  double number(String key) {
    JsonNode value = node(key);
    if (!value.isNumber()) {
      throw invalid(key, "must be a number, got " + value);
    }
    return value.doubleValue();
  }

  double positiveNumber(String key) {
    double number = number(key);
    if (!(number > 0) || !Double.isFinite(number)) {
      throw invalid(key, "must be positive and finite, got " + number);
    }
    return number;
  }

  double positiveNumber(String key, double fallback) {
    return has(key) ? positiveNumber(key) : fallback;
  }

  /** A PIL resampling code that {@link PreprocessingSettings} supports. */
  int resample(String key) {
    int code = integer(key);
    if (code != PreprocessingSettings.BILINEAR && code != PreprocessingSettings.BICUBIC) {
      throw invalid(
          key,
          "is "
              + code
              + " ("
              + PreprocessingSettings.resampleName(code)
              + "), not supported; supported are 2 (bilinear) and 3 (bicubic)");
    }
    return code;
  }

  /** Like {@link #channelTriple} and every value positive, as a divisor must be. */
  float[] positiveChannelTriple(String key) {
    float[] triple = channelTriple(key);
    for (float value : triple) {
      if (!(value > 0) || !Float.isFinite(value)) {
        throw invalid(
            key, "must hold positive finite numbers, got " + java.util.Arrays.toString(triple));
      }
    }
    return triple;
  }

  /** Three numbers (R, G, B); a single number stands for all three, as Hugging Face allows. */
  float[] channelTriple(String key) {
    JsonNode value = node(key);
    if (value.isNumber()) {
      float single = value.floatValue();
      return new float[] {single, single, single};
    }
    if (!value.isArray() || value.size() != 3) {
      throw invalid(key, "must be an array of 3 numbers (R, G, B), got " + value);
    }
    float[] triple = new float[3];
    for (int channel = 0; channel < 3; channel++) {
      if (!value.get(channel).isNumber()) {
        throw invalid(key, "must be an array of 3 numbers (R, G, B), got " + value);
      }
      triple[channel] = value.get(channel).floatValue();
      if (!Float.isFinite(triple[channel])) {
        throw invalid(key, "must hold finite numbers, got " + value);
      }
    }
    return triple;
  }

  IllegalArgumentException invalid(String key, String problem) {
    return new IllegalArgumentException(source + ": '" + key + "' " + problem);
  }
}
