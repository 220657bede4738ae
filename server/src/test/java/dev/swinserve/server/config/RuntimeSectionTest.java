package dev.swinserve.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.config.ConfigException;
import dev.swinserve.config.ConfigTree;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.scheduling.BatchingConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** The {@code runtime:} section of a {@code model.yaml}, bound over the server's settings. */
class RuntimeSectionTest {

  /** {@code text} as the {@code runtime:} section of a model.yaml (its first line is line 2). */
  private static ConfigTree section(String text) {
    String indented = text.lines().map(line -> "  " + line).collect(Collectors.joining("\n"));
    return ConfigTree.parse("runtime:\n" + indented + "\n", "model.yaml").section("runtime");
  }

  private static RuntimeSection overridden(String text) {
    return RuntimeSection.defaults().overriddenBy(section(text));
  }

  /** Assertions on what overriding the defaults with {@code text} throws. */
  private static AbstractThrowableAssert<?, ? extends Throwable> refusal(String text) {
    return assertThatThrownBy(() -> overridden(text))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("model.yaml: ");
  }

  @Test
  void defaultsLetTensorFlowChooseThreadsAndWarmUpBatchSizeOne() {
    assertThat(RuntimeConfig.defaults()).isEqualTo(new RuntimeConfig(0, 0, List.of(1), 1));
    assertThat(BatchingConfig.defaults())
        .isEqualTo(new BatchingConfig(8, List.of(1, 2, 4, 8), Duration.ofMillis(2), 128, 1));
    assertThat(RuntimeSection.defaults())
        .isEqualTo(new RuntimeSection(RuntimeConfig.defaults(), BatchingConfig.defaults()));
  }

  @Test
  void mapsEveryKeyOfTheRuntimeSection() {
    RuntimeSection config =
        overridden(
            """
        intra_op_threads: 4
        inter_op_threads: 2
        warm_up_batch_sizes: [1, 8, 32]
        instances: 3
        batching: {enabled: true, max_batch_size: 4, allowed_batch_sizes: [2, 4], max_queue_delay_ms: 7,
          max_queue_size: 9, batch_threads: 2}
        """);

    assertThat(config)
        .isEqualTo(
            new RuntimeSection(
                new RuntimeConfig(4, 2, List.of(1, 8, 32), 3),
                new BatchingConfig(4, List.of(2, 4), Duration.ofMillis(7), 9, 2)));
  }

  @Test
  void keysAbsentFromTheSectionKeepTheDefaults() {
    RuntimeSection defaults =
        new RuntimeSection(new RuntimeConfig(3, 5, List.of(2)), BatchingConfig.defaults());

    assertThat(defaults.overriddenBy(section("inter_op_threads: 1")))
        .isEqualTo(
            new RuntimeSection(new RuntimeConfig(3, 1, List.of(2)), BatchingConfig.defaults()));
    assertThat(defaults.overriddenBy(section("{}"))).isEqualTo(defaults);
    assertThat(defaults.overriddenBy(ConfigTree.empty("model.yaml"))).isEqualTo(defaults);
    assertThat(
            defaults.overriddenBy(ConfigTree.parse("labels: {}", "model.yaml").section("runtime")))
        .isEqualTo(defaults);
  }

  @Test
  void mapsInstancesAndBatchingAndWarmsEveryPaddedSize() {
    RuntimeSection config =
        overridden(
            """
        intra_op_threads: 1
        instances: 2
        batching:
          max_batch_size: 4
          max_queue_delay_ms: 5
        """);

    assertThat(config.runtime().intraOpThreads()).isEqualTo(1);
    assertThat(config.runtime().instances()).isEqualTo(2);
    assertThat(config.batching().allowedBatchSizes()).containsExactly(1, 2, 4);
    assertThat(config.batching().maxQueueDelay()).isEqualTo(Duration.ofMillis(5));
    assertThat(config.batching().warmUpBatchSizes(config.runtime().warmUpBatchSizes()))
        .containsExactly(1, 2, 4);
    assertThat(overridden("batching: {enabled: false}").batching().enabled()).isFalse();
  }

  @Test
  void refusesAnUnknownKeyByName() {
    refusal("intra_op_thread: 4")
        .hasMessageContaining("'runtime.intra_op_thread' is an unknown key")
        .hasMessageContaining("intra_op_threads")
        .hasMessageContaining("(line 2)");
    refusal("batching: {max_batch: 8}")
        .hasMessageContaining("'runtime.batching.max_batch' is an unknown key");
  }

  @Test
  void refusesValuesOfTheWrongTypeOrRange() {
    refusal("intra_op_threads: four")
        .hasMessageContaining("'runtime.intra_op_threads' must be an integer");
    refusal("inter_op_threads: -1")
        .hasMessageContaining("'runtime.inter_op_threads' must be in 0..1024, got -1");
    refusal("warm_up_batch_sizes: 8")
        .hasMessageContaining("'runtime.warm_up_batch_sizes' must be a list");
    refusal("warm_up_batch_sizes: [1, 0]")
        .hasMessageContaining("'runtime.warm_up_batch_sizes' must be in 1..1024, got 0");
    refusal("warm_up_batch_sizes: []").hasMessageContaining("must list 1..32 batch sizes");
    refusal("[1, 2]").hasMessageContaining("'runtime' must be a mapping");
    refusal("batching: {enabled: 'no'}")
        .hasMessageContaining("'runtime.batching.enabled' must be true or false");
  }

  @Test
  void everyNumberHasARangeAndTheErrorNamesKeyRangeAndLine() {
    refusal("intra_op_threads: -5")
        .hasMessage("model.yaml: 'runtime.intra_op_threads' must be in 0..1024, got -5 (line 2)");
    refusal("intra_op_threads: 100000")
        .hasMessageContaining("'runtime.intra_op_threads' must be in 0..1024, got 100000");
    refusal("warm_up_batch_sizes: [1, 100000]")
        .hasMessageContaining("'runtime.warm_up_batch_sizes' must be in 1..1024, got 100000");
    refusal("warm_up_batch_sizes: [" + "1, ".repeat(40) + "1]")
        .hasMessageContaining("'runtime.warm_up_batch_sizes' must list 1..32 batch sizes, got 41");
    refusal("instances: 1000")
        .hasMessageContaining("'runtime.instances' must be in 1..64, got 1000");
    refusal("batching: {max_batch_size: 100000}")
        .hasMessageContaining("'runtime.batching.max_batch_size' must be in 1..1024, got 100000");
    refusal("batching: {max_queue_size: 0}")
        .hasMessageContaining("'runtime.batching.max_queue_size' must be in 1..100000, got 0");
    refusal("batching: {max_queue_size: 10000000}")
        .hasMessageContaining("'runtime.batching.max_queue_size' must be in 1..100000");
    refusal("batching: {batch_threads: 65}")
        .hasMessageContaining("'runtime.batching.batch_threads' must be in 1..64, got 65");
    refusal("batching: {max_queue_delay_ms: 1e12}")
        .hasMessageContaining("'runtime.batching.max_queue_delay_ms' must be in 0..10000 ms");
    refusal("batching: {max_queue_delay_ms: -1}")
        .hasMessageContaining("'runtime.batching.max_queue_delay_ms' must be in 0..10000 ms");
    refusal("batching:\n  allowed_batch_sizes: [4, 2]\n  max_batch_size: 2")
        .hasMessageContaining(
            "'runtime.batching.allowed_batch_sizes' [4, 2] must be ascending positive sizes");
  }

  @Test
  void theLimitsThemselvesAreAccepted() {
    RuntimeSection config =
        overridden(
            """
        intra_op_threads: 1024
        inter_op_threads: 0
        warm_up_batch_sizes: [1, 1024]
        instances: 64
        batching: {max_batch_size: 1024, max_queue_size: 100000, batch_threads: 64, max_queue_delay_ms: 10000}
        """);

    assertThat(config.batching().maxBatchSize()).isEqualTo(1024);
    assertThat(config.batching().maxQueueDelay()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void warmUpBatchSizesCannotBeChangedAfterConstruction() {
    List<Integer> sizes = new ArrayList<>(List.of(1, 4));
    RuntimeConfig config = new RuntimeConfig(0, 0, sizes);
    sizes.add(8);

    assertThat(config.warmUpBatchSizes()).containsExactly(1, 4);
    assertThatThrownBy(() -> config.warmUpBatchSizes().add(16))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
