package dev.swinserve.converter.swinv2;

import dev.swinserve.format.tensor.FloatTensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random weights of the real architecture, initialised as Hugging Face initialises a fresh
 * {@code Swinv2ForImageClassification}: weights from a normal distribution truncated at two
 * standard deviations (σ = 0.02), zero biases, unit layer-norm scales, logit scale ln 10. The same
 * config and seed always give the same weights. Their predictions mean nothing.
 */
public final class DemoWeights {

  private static final double STANDARD_DEVIATION = 0.02;
  private static final float INITIAL_LOGIT_SCALE = (float) Math.log(10.0);

  private DemoWeights() {}

  public static Map<String, FloatTensor> generate(SwinV2Config config, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, FloatTensor> weights = new LinkedHashMap<>();
    ParameterLayout.of(config)
        .shapes()
        .forEach(
            (key, shape) -> {
              float[] values = new float[(int) FloatTensor.elementCount(shape)];
              if (key.endsWith("logit_scale")) {
                java.util.Arrays.fill(values, INITIAL_LOGIT_SCALE);
              } else if (isNorm(key) && key.endsWith(".weight")) {
                java.util.Arrays.fill(values, 1f);
              } else if (key.endsWith(".weight")) {
                for (int i = 0; i < values.length; i++) {
                  values[i] = (float) (truncatedNormal(random) * STANDARD_DEVIATION);
                }
              }
              weights.put(key, new FloatTensor(shape.clone(), values));
            });
    return weights;
  }

  private static boolean isNorm(String key) {
    return key.contains("norm.") || key.contains("layernorm");
  }

  private static double truncatedNormal(SplittableRandom random) {
    while (true) {
      // Box–Muller; rejection keeps the draw within two standard deviations.
      double value =
          Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
              * Math.cos(2 * Math.PI * random.nextDouble());
      if (Math.abs(value) <= 2) {
        return value;
      }
    }
  }
}
