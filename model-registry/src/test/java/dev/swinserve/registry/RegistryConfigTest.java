package dev.swinserve.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

  private static final Path ROOT = Path.of("/models");

  @Test
  void defaultsPollEveryTwoSecondsOnTwoThreadsAndWaitThirtySecondsToUnload() {
    RegistryConfig config = RegistryConfig.defaults(ROOT);

    assertThat(config.root()).isEqualTo(ROOT);
    assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.loadThreads()).isEqualTo(2);
    assertThat(config.unloadTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.memoryBudgetBytes()).as("unlimited").isEmpty();
  }

  @Test
  void explicitValuesAreKept() {
    RegistryConfig config =
        new RegistryConfig(ROOT, Duration.ofMillis(250), 8, Duration.ofMinutes(2));

    assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.loadThreads()).isEqualTo(8);
    assertThat(config.unloadTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void withersChangeOneSettingEach() {
    RegistryConfig config =
        RegistryConfig.defaults(ROOT)
            .withPollInterval(Duration.ZERO)
            .withLoadThreads(4)
            .withUnloadTimeout(Duration.ofSeconds(1))
            .withMemoryBudgetBytes(1 << 30);

    assertThat(config)
        .isEqualTo(
            new RegistryConfig(
                ROOT, Duration.ZERO, 4, Duration.ofSeconds(1), OptionalLong.of(1 << 30)));
    assertThat(config.withLoadThreads(1).memoryBudgetBytes())
        .as("kept by the other withers")
        .hasValue(1 << 30);
  }

  @Test
  void refusesValuesThatCannotWork() {
    assertThatThrownBy(() -> new RegistryConfig(ROOT, Duration.ofSeconds(-1), 2, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pollInterval");
    assertThatThrownBy(() -> new RegistryConfig(ROOT, Duration.ZERO, 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loadThreads must be at least 1, got 0");
    assertThatThrownBy(() -> new RegistryConfig(ROOT, Duration.ZERO, 1, Duration.ofSeconds(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unloadTimeout");
    assertThatThrownBy(() -> RegistryConfig.defaults(ROOT).withMemoryBudgetBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memoryBudgetBytes must be positive, got 0");
    assertThatThrownBy(() -> new RegistryConfig(null, Duration.ZERO, 1, Duration.ZERO))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("root");
  }
}
