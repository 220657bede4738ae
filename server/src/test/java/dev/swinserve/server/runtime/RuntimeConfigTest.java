package dev.swinserve.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode yaml(String text) throws IOException {
    return YAML.readTree(text);
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
  void refusesValuesOfTheWrongTypeOrRange() throws IOException {
    RuntimeConfig defaults = RuntimeConfig.defaults();

    assertThatThrownBy(() -> defaults.overriddenBy(yaml("intra_op_threads: four")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'intra_op_threads' must be an integer");
    assertThatThrownBy(() -> defaults.overriddenBy(yaml("inter_op_threads: -1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 0");
    assertThatThrownBy(() -> defaults.overriddenBy(yaml("warm_up_batch_sizes: 8")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'warm_up_batch_sizes' must be a list");
    assertThatThrownBy(() -> defaults.overriddenBy(yaml("warm_up_batch_sizes: [1, 0]")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warm_up_batch_sizes must be positive");
    assertThatThrownBy(() -> defaults.overriddenBy(yaml("warm_up_batch_sizes: []")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one batch size");
    assertThatThrownBy(() -> defaults.overriddenBy(yaml("[1, 2]")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a mapping");
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
