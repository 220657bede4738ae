package dev.swinserve.server.runtime;

import dev.swinserve.config.ConfigValueException;
import dev.swinserve.config.Range;
import java.util.List;

/**
 * How a model version is run: TensorFlow's thread pools, the sessions per version and the batch
 * sizes run at warm-up. Bound from the {@code runtime:} section of {@code server.yaml}, which a
 * model's {@code model.yaml} {@code runtime:} section overrides key by key (the server's config
 * package binds it, beside the scheduler's batching keys):
 *
 * <pre>
 * runtime:
 *   intra_op_threads: 4          # threads inside one op (matrix products); 0: TensorFlow chooses
 *   inter_op_threads: 2          # ops run side by side; 0: TensorFlow chooses
 *   warm_up_batch_sizes: [1, 8]  # each is run once with zero input before the version serves
 *   instances: 1                 # TensorFlow sessions of the version, used side by side
 * </pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param intraOpThreads threads one op may use, 0..1024; 0 lets TensorFlow choose (one per core)
 * @param interOpThreads ops run concurrently, 0..1024; 0 lets TensorFlow choose
 * @param warmUpBatchSizes batch sizes run at warm-up, each 1..1024, 1 to 32 of them (the scheduler
 *     adds the sizes it pads batches to)
 * @param instances sessions loaded per version, 1..64
 */
public record RuntimeConfig(
    int intraOpThreads, int interOpThreads, List<Integer> warmUpBatchSizes, int instances) {

  /** The most threads TensorFlow may be given for either pool. */
  public static final Range INTRA_OP_THREADS = new Range("intra_op_threads", 0, 1024);

  public static final Range INTER_OP_THREADS = new Range("inter_op_threads", 0, 1024);

  /** Each warm-up size runs once at load; bounded like batching's {@code max_batch_size}. */
  public static final Range WARM_UP_BATCH_SIZE = new Range("warm_up_batch_sizes", 1, 1024);

  public static final int MAX_WARM_UP_BATCH_SIZES = 32;

  /** Each instance is a whole TensorFlow session holding the model's weights. */
  public static final Range INSTANCES = new Range("instances", 1, 64);

  public RuntimeConfig {
    INTRA_OP_THREADS.check(intraOpThreads);
    INTER_OP_THREADS.check(interOpThreads);
    warmUpBatchSizes = List.copyOf(warmUpBatchSizes);
    INSTANCES.check(instances);
    if (warmUpBatchSizes.isEmpty() || warmUpBatchSizes.size() > MAX_WARM_UP_BATCH_SIZES) {
      throw new ConfigValueException(
          WARM_UP_BATCH_SIZE.key(),
          "must list 1.."
              + MAX_WARM_UP_BATCH_SIZES
              + " batch sizes, got "
              + warmUpBatchSizes.size());
    }
    for (int size : warmUpBatchSizes) {
      WARM_UP_BATCH_SIZE.check(size);
    }
  }

  /** One session. */
  public RuntimeConfig(int intraOpThreads, int interOpThreads, List<Integer> warmUpBatchSizes) {
    this(intraOpThreads, interOpThreads, warmUpBatchSizes, 1);
  }

  /** TensorFlow chooses both thread counts; one session; warm-up at batch size 1. */
  public static RuntimeConfig defaults() {
    return new RuntimeConfig(0, 0, List.of(1));
  }
}
