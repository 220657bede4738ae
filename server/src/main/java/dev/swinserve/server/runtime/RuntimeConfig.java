package dev.swinserve.server.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a model version is run: TensorFlow's thread pools and the batch sizes run at warm-up. The
 * server's defaults are overridden per model by the {@code runtime:} section of its
 * {@code model.yaml}:
 *
 * <pre>
 * runtime:
 *   intra_op_threads: 4          # threads inside one op (matrix products); 0: TensorFlow chooses
 *   inter_op_threads: 2          # ops run side by side; 0: TensorFlow chooses
 *   warm_up_batch_sizes: [1, 8]  # each is run once with zero input before the version serves
 * </pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param intraOpThreads threads one op may use, at least 0; 0 lets TensorFlow choose (one per core)
 * @param interOpThreads ops run concurrently, at least 0; 0 lets TensorFlow choose
 * @param warmUpBatchSizes batch sizes run at warm-up, each positive, at least one
 */
public record RuntimeConfig(int intraOpThreads, int interOpThreads, List<Integer> warmUpBatchSizes) {

  private static final String INTRA_OP_THREADS = "intra_op_threads";
  private static final String INTER_OP_THREADS = "inter_op_threads";
  private static final String WARM_UP_BATCH_SIZES = "warm_up_batch_sizes";

  /** Keys of the {@code runtime:} section that other components read; skipped here. */
  private static final Set<String> KEYS_READ_ELSEWHERE = Set.of("batching");

  private static final Set<String> KNOWN_KEYS =
      Set.of(INTRA_OP_THREADS, INTER_OP_THREADS, WARM_UP_BATCH_SIZES);

  public RuntimeConfig {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be at least 0 (0: TensorFlow chooses), got "
          + INTRA_OP_THREADS + " " + intraOpThreads + ", " + INTER_OP_THREADS + " " + interOpThreads);
    }
    warmUpBatchSizes = List.copyOf(warmUpBatchSizes);
    if (warmUpBatchSizes.isEmpty()) {
      throw new IllegalArgumentException(WARM_UP_BATCH_SIZES + " must list at least one batch size");
    }
    for (int size : warmUpBatchSizes) {
      if (size < 1) {
        throw new IllegalArgumentException(WARM_UP_BATCH_SIZES + " must be positive, got "
            + warmUpBatchSizes);
      }
    }
  }

  /** TensorFlow chooses both thread counts; warm-up runs batch size 1. */
  public static RuntimeConfig defaults() {
    return new RuntimeConfig(0, 0, List.of(1));
  }

  /**
   * This configuration with the keys present in a {@code model.yaml} {@code runtime:} section
   * replacing its values; keys absent keep this configuration's values.
   *
   * @param runtime the section as parsed; null, missing or empty changes nothing
   * @throws IllegalArgumentException naming the key that is unknown or has an invalid value
   */
  public RuntimeConfig overriddenBy(JsonNode runtime) {
    if (runtime == null || runtime.isMissingNode() || runtime.isNull()) {
      return this;
    }
    if (!runtime.isObject()) {
      throw new IllegalArgumentException("runtime must be a mapping of keys to values, got "
          + runtime.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    int intra = intraOpThreads;
    int inter = interOpThreads;
    List<Integer> warmUp = warmUpBatchSizes;
    for (Iterator<Map.Entry<String, JsonNode>> it = runtime.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      switch (key) {
        case INTRA_OP_THREADS -> intra = integer(key, value);
        case INTER_OP_THREADS -> inter = integer(key, value);
        case WARM_UP_BATCH_SIZES -> warmUp = integers(key, value);
        default -> {
          if (!KEYS_READ_ELSEWHERE.contains(key)) {
            throw new IllegalArgumentException("unknown runtime key '" + key + "'; known keys are "
                + new TreeSet<>(KNOWN_KEYS) + " and " + KEYS_READ_ELSEWHERE);
          }
        }
      }
    }
    try {
      return new RuntimeConfig(intra, inter, warmUp);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("runtime: " + e.getMessage(), e);
    }
  }

  private static int integer(String key, JsonNode value) {
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException("runtime key '" + key + "' must be an integer, got " + value);
    }
    return value.intValue();
  }

  private static List<Integer> integers(String key, JsonNode value) {
    if (!value.isArray()) {
      throw new IllegalArgumentException("runtime key '" + key + "' must be a list of integers, got "
          + value);
    }
    List<Integer> result = new ArrayList<>();
    for (JsonNode element : value) {
      result.add(integer(key, element));
    }
    return result;
  }
}
