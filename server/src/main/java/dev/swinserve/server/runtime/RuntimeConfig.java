package dev.swinserve.server.runtime;

import dev.swinserve.server.config.Range;
import dev.swinserve.server.scheduling.BatchingConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
 *   instances: 1                 # TensorFlow sessions of the version, used side by side
 *   batching: {max_batch_size: 8, max_queue_delay_ms: 2}   # see BatchingConfig
 * </pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param intraOpThreads threads one op may use, 0..1024; 0 lets TensorFlow choose (one per core)
 * @param interOpThreads ops run concurrently, 0..1024; 0 lets TensorFlow choose
 * @param warmUpBatchSizes batch sizes run at warm-up, each 1..1024, 1 to 32 of them (batching adds
 *     its allowed sizes, see {@link #effectiveWarmUpBatchSizes()})
 * @param instances sessions loaded per version, 1..64
 * @param batching how calls to the version are batched
 */
public record RuntimeConfig(int intraOpThreads, int interOpThreads, List<Integer> warmUpBatchSizes,
    int instances, BatchingConfig batching) {

  private static final String INTRA_OP_THREADS = "intra_op_threads";
  private static final String INTER_OP_THREADS = "inter_op_threads";
  private static final String WARM_UP_BATCH_SIZES = "warm_up_batch_sizes";
  private static final String INSTANCES = "instances";
  private static final String BATCHING = "batching";

  private static final Set<String> KNOWN_KEYS =
      Set.of(INTRA_OP_THREADS, INTER_OP_THREADS, WARM_UP_BATCH_SIZES, INSTANCES, BATCHING);

  /** The most threads TensorFlow may be given for either pool. */
  public static final Range INTRA_OP_THREADS_RANGE = new Range(INTRA_OP_THREADS, 0, 1024);
  public static final Range INTER_OP_THREADS_RANGE = new Range(INTER_OP_THREADS, 0, 1024);
  /** Each warm-up size runs once at load; bounded like {@code max_batch_size}. */
  public static final Range WARM_UP_BATCH_SIZE_RANGE = new Range(WARM_UP_BATCH_SIZES, 1, BatchingConfig.MAX_BATCH_SIZE_LIMIT);
  public static final int MAX_WARM_UP_BATCH_SIZES = 32;
  /** Each instance is a whole TensorFlow session holding the model's weights. */
  public static final Range INSTANCES_RANGE = new Range(INSTANCES, 1, 64);

  public RuntimeConfig {
    INTRA_OP_THREADS_RANGE.check(intraOpThreads);
    INTER_OP_THREADS_RANGE.check(interOpThreads);
    warmUpBatchSizes = List.copyOf(warmUpBatchSizes);
    INSTANCES_RANGE.check(instances);
    if (warmUpBatchSizes.isEmpty() || warmUpBatchSizes.size() > MAX_WARM_UP_BATCH_SIZES) {
      throw new IllegalArgumentException("'" + WARM_UP_BATCH_SIZES + "' must list 1.." + MAX_WARM_UP_BATCH_SIZES
          + " batch sizes, got " + warmUpBatchSizes.size());
    }
    for (int size : warmUpBatchSizes) {
      WARM_UP_BATCH_SIZE_RANGE.check(size);
    }
    Objects.requireNonNull(batching, "batching");
  }

  /** Without instances and batching settings: one session, default batching. */
  public RuntimeConfig(int intraOpThreads, int interOpThreads, List<Integer> warmUpBatchSizes) {
    this(intraOpThreads, interOpThreads, warmUpBatchSizes, 1, BatchingConfig.defaults());
  }

  /** TensorFlow chooses both thread counts; one session; default batching. */
  public static RuntimeConfig defaults() {
    return new RuntimeConfig(0, 0, List.of(1));
  }

  /**
   * Every batch size the version must be warmed at: the configured warm-up sizes and each size
   * batching may pad to, so no call meets a shape the session has not run.
   */
  public List<Integer> effectiveWarmUpBatchSizes() {
    TreeSet<Integer> sizes = new TreeSet<>(warmUpBatchSizes);
    sizes.addAll(batching.allowedBatchSizes());
    return List.copyOf(sizes);
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
    int sessions = instances;
    BatchingConfig batchingConfig = batching;
    for (Iterator<Map.Entry<String, JsonNode>> it = runtime.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      switch (key) {
        case INTRA_OP_THREADS -> intra = integer(key, value);
        case INTER_OP_THREADS -> inter = integer(key, value);
        case WARM_UP_BATCH_SIZES -> warmUp = integers(key, value);
        case INSTANCES -> sessions = integer(key, value);
        case BATCHING -> batchingConfig = batching.overriddenBy(value);
        default -> throw new IllegalArgumentException("unknown runtime key '" + key + "'; known keys are "
            + new TreeSet<>(KNOWN_KEYS));
      }
    }
    try {
      return new RuntimeConfig(intra, inter, warmUp, sessions, batchingConfig);
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
