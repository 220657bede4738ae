package dev.swinserve.server.config;

import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.swinserve.config.ConfigTree;
import dev.swinserve.config.ConfigValueException;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.scheduling.BatchingConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code runtime:} section of {@code server.yaml} and of a {@code model.yaml}: the model
 * runtime's keys ({@link RuntimeConfig}) and, under {@code batching:}, the scheduler's ({@link
 * BatchingConfig}), one YAML section for users, two configs for the code, so that neither the
 * runtime nor the scheduler sees the other's options. Immutable.
 */
public record RuntimeSection(RuntimeConfig runtime, BatchingConfig batching) {

  public RuntimeSection {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(batching, "batching");
  }

  public static RuntimeSection defaults() {
    return new RuntimeSection(RuntimeConfig.defaults(), BatchingConfig.defaults());
  }

  /**
   * These settings with the keys {@code section} sets replacing theirs, key by key; keys absent
   * keep these values. A {@code max_batch_size} without {@code allowed_batch_sizes} pads to the
   * powers of two up to it; {@code enabled: false} runs every request alone.
   *
   * @throws dev.swinserve.config.ConfigException naming the file, the key and the line
   */
  public RuntimeSection overriddenBy(ConfigTree section) {
    return section.bind(new Builder(this), Builder::build);
  }

  /** Binds the section onto given settings; see {@link #overriddenBy}. Not thread-safe. */
  static final class Builder {
    @JsonProperty("intra_op_threads")
    private int intraOpThreads;

    @JsonProperty("inter_op_threads")
    private int interOpThreads;

    @JsonProperty("warm_up_batch_sizes")
    private List<Integer> warmUpBatchSizes;

    @JsonProperty("instances")
    private int instances;

    @JsonProperty("batching")
    @JsonMerge
    private BatchingBuilder batching;

    Builder() {
      this(defaults());
    }

    Builder(RuntimeSection from) {
      intraOpThreads = from.runtime().intraOpThreads();
      interOpThreads = from.runtime().interOpThreads();
      warmUpBatchSizes = from.runtime().warmUpBatchSizes();
      instances = from.runtime().instances();
      batching = new BatchingBuilder(from.batching());
    }

    RuntimeSection build() {
      return new RuntimeSection(
          new RuntimeConfig(intraOpThreads, interOpThreads, warmUpBatchSizes, instances),
          ConfigValueException.within("batching", batching::build));
    }
  }

  /** The {@code batching:} keys, onto given batching options. */
  static final class BatchingBuilder {
    private final BatchingConfig from;

    @JsonProperty("enabled")
    private boolean enabled = true;

    private Integer maxBatchSize;
    private List<Integer> allowedBatchSizes;

    @JsonProperty("max_queue_delay_ms")
    private Double maxQueueDelayMillis;

    @JsonProperty("max_queue_size")
    private int maxQueueSize;

    @JsonProperty("batch_threads")
    private int batchThreads;

    BatchingBuilder() {
      this(BatchingConfig.defaults());
    }

    BatchingBuilder(BatchingConfig from) {
      this.from = from;
      maxQueueSize = from.maxQueueSize();
      batchThreads = from.batchThreads();
    }

    @JsonProperty("max_batch_size")
    private void maxBatchSize(int size) {
      maxBatchSize = size;
    }

    @JsonProperty("allowed_batch_sizes")
    private void allowedBatchSizes(List<Integer> sizes) {
      if (sizes.size() > BatchingConfig.MAX_BATCH_SIZE_LIMIT) {
        throw new ConfigValueException(
            "allowed_batch_sizes",
            "lists " + sizes.size() + " sizes; at most " + BatchingConfig.MAX_BATCH_SIZE_LIMIT);
      }
      allowedBatchSizes = sizes;
    }

    BatchingConfig build() {
      int max =
          maxBatchSize != null
              ? BatchingConfig.MAX_BATCH_SIZE.check(maxBatchSize)
              : from.maxBatchSize();
      List<Integer> allowed =
          allowedBatchSizes != null
              ? allowedBatchSizes
              : maxBatchSize != null
                  ? BatchingConfig.powersOfTwoUpTo(max)
                  : from.allowedBatchSizes();
      Duration delay =
          maxQueueDelayMillis == null
              ? from.maxQueueDelay()
              : Duration.ofNanos(
                  Math.round(
                      BatchingConfig.MAX_QUEUE_DELAY_MILLIS.checkMillis(maxQueueDelayMillis)
                          * 1e6));
      BatchingConfig config = new BatchingConfig(max, allowed, delay, maxQueueSize, batchThreads);
      return enabled ? config : config.disabled();
    }
  }
}
