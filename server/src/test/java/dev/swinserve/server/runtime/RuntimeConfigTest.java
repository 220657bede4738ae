package dev.swinserve.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode yaml(String text) throws IOException {
    return YAML.readTree(text);
  }

  /** Assertions on what overriding the defaults with {@code text} throws. */
  private static AbstractThrowableAssert<?, ? extends Throwable> refusal(String text) {
    return assertThatThrownBy(() -> RuntimeConfig.defaults().overriddenBy(yaml(text)));
  }

  @Test
  void defaultsLetTensorFlowChooseThreadsAndWarmUpBatchSizeOne() {
    assertThat(RuntimeConfig.defaults()).isEqualTo(new RuntimeConfig(0, 0, List.of(1)));
  }

  @Test
  void mapsEveryKeyOfTheRuntimeSection() throws IOException {
    RuntimeConfig config = RuntimeConfig.defaults().overriddenBy(yaml("""
        intra_op_threads: 4
        inter_op_threads: 2
        warm_up_batch_sizes: [1, 8, 32]
        """));

    assertThat(config).isEqualTo(new RuntimeConfig(4, 2, List.of(1, 8, 32)));
  }

  @Test
  void keysAbsentFromTheSectionKeepTheDefaults() throws IOException {
    RuntimeConfig defaults = new RuntimeConfig(3, 5, List.of(2));

    assertThat(defaults.overriddenBy(yaml("inter_op_threads: 1"))).isEqualTo(new RuntimeConfig(3, 1, List.of(2)));
    assertThat(defaults.overriddenBy(yaml("{}"))).isEqualTo(defaults);
    assertThat(defaults.overriddenBy(null)).isEqualTo(defaults);
    assertThat(defaults.overriddenBy(MissingNode.getInstance())).isEqualTo(defaults);
  }

  @Test
  void mapsInstancesAndBatchingAndWarmsEveryPaddedSize() throws IOException {
    RuntimeConfig config = RuntimeConfig.defaults().overriddenBy(yaml("""
        intra_op_threads: 1
        instances: 2
        batching:
          max_batch_size: 4
          max_queue_delay_ms: 5
        """));

    assertThat(config.intraOpThreads()).isEqualTo(1);
    assertThat(config.instances()).isEqualTo(2);
    assertThat(config.batching().allowedBatchSizes()).containsExactly(1, 2, 4);
    assertThat(config.batching().maxQueueDelay()).isEqualTo(java.time.Duration.ofMillis(5));
    assertThat(config.effectiveWarmUpBatchSizes()).containsExactly(1, 2, 4);
    assertThat(RuntimeConfig.defaults().overriddenBy(yaml("batching: {enabled: false}")).batching().enabled())
        .isFalse();
  }

  @Test
  void refusesAnUnknownKeyByName() throws IOException {
    JsonNode runtime = yaml("intra_op_thread: 4");

    assertThatThrownBy(() -> RuntimeConfig.defaults().overriddenBy(runtime))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown runtime key 'intra_op_thread'")
        .hasMessageContaining("intra_op_threads");
  }

  @Test
  void refusesValuesOfTheWrongTypeOrRange() {
    refusal("intra_op_threads: four")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'intra_op_threads' must be an integer");
    refusal("inter_op_threads: -1")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'inter_op_threads' must be in 0..1024, got -1");
    refusal("warm_up_batch_sizes: 8")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'warm_up_batch_sizes' must be a list");
    refusal("warm_up_batch_sizes: [1, 0]")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'warm_up_batch_sizes' must be in 1..1024, got 0");
    refusal("warm_up_batch_sizes: []")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must list 1..32 batch sizes");
    refusal("[1, 2]").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a mapping");
  }

  @Test
  void everyNumberHasARangeAndTheErrorNamesKeyAndRange() {
    refusal("intra_op_threads: -5").hasMessage("runtime: 'intra_op_threads' must be in 0..1024, got -5");
    refusal("intra_op_threads: 100000").hasMessageContaining("'intra_op_threads' must be in 0..1024, got 100000");
    refusal("warm_up_batch_sizes: [1, 100000]")
        .hasMessageContaining("'warm_up_batch_sizes' must be in 1..1024, got 100000");
    refusal("warm_up_batch_sizes: [" + "1, ".repeat(40) + "1]")
        .hasMessageContaining("'warm_up_batch_sizes' must list 1..32 batch sizes, got 41");
    refusal("instances: 1000").hasMessageContaining("'instances' must be in 1..64, got 1000");
    refusal("batching: {max_batch_size: 100000}")
        .hasMessageContaining("batching: 'max_batch_size' must be in 1..1024, got 100000");
    refusal("batching: {max_queue_size: 0}").hasMessageContaining("'max_queue_size' must be in 1..100000, got 0");
    refusal("batching: {max_queue_size: 10000000}").hasMessageContaining("'max_queue_size' must be in 1..100000");
    refusal("batching: {batch_threads: 65}").hasMessageContaining("'batch_threads' must be in 1..64, got 65");
    refusal("batching: {max_queue_delay_ms: 1e12}").hasMessageContaining("'max_queue_delay_ms' must be in 0..10000 ms");
    refusal("batching: {max_queue_delay_ms: -1}").hasMessageContaining("'max_queue_delay_ms' must be in 0..10000 ms");
  }

  @Test
  void theLimitsThemselvesAreAccepted() throws IOException {
    RuntimeConfig config = RuntimeConfig.defaults().overriddenBy(yaml("""
        intra_op_threads: 1024
        inter_op_threads: 0
        warm_up_batch_sizes: [1, 1024]
        instances: 64
        batching: {max_batch_size: 1024, max_queue_size: 100000, batch_threads: 64, max_queue_delay_ms: 10000}
        """));

    assertThat(config.batching().maxBatchSize()).isEqualTo(1024);
    assertThat(config.batching().maxQueueDelay()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void warmUpBatchSizesCannotBeChangedAfterConstruction() {
    List<Integer> sizes = new ArrayList<>(List.of(1, 4));
    RuntimeConfig config = new RuntimeConfig(0, 0, sizes);
    sizes.add(8);

    assertThat(config.warmUpBatchSizes()).containsExactly(1, 4);
    assertThatThrownBy(() -> config.warmUpBatchSizes().add(16)).isInstanceOf(UnsupportedOperationException.class);
  }
}
