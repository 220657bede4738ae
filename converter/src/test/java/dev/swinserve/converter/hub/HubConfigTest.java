package dev.swinserve.converter.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HubConfigTest {

  private static final Path HOME = Path.of("/home/someone");

  @Test
  void defaults() {
    HubConfig config = HubConfig.fromEnvironment(Map.of(), HOME);

    assertThat(config.endpoint()).isEqualTo(URI.create("https://huggingface.co"));
    assertThat(config.token()).isEmpty();
    assertThat(config.cacheDirectory()).isEqualTo(Path.of("/home/someone/.cache/swinserve/hub"));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.maxAttempts()).isEqualTo(5);
    assertThat(config.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void mapsTheEnvironment() {
    HubConfig config =
        HubConfig.fromEnvironment(
            Map.of(
                "HF_ENDPOINT",
                "https://hub.example.org/",
                "HF_TOKEN",
                "hf_abc",
                "SWINSERVE_CACHE",
                "/var/cache/swinserve"),
            HOME);

    assertThat(config.endpoint()).isEqualTo(URI.create("https://hub.example.org"));
    assertThat(config.token()).hasValue("hf_abc");
    assertThat(config.cacheDirectory()).isEqualTo(Path.of("/var/cache/swinserve/hub"));
  }

  @Test
  void blankVariablesCountAsUnset() {
    HubConfig config =
        HubConfig.fromEnvironment(
            Map.of("HF_ENDPOINT", " ", "HF_TOKEN", "", "SWINSERVE_CACHE", ""), HOME);

    assertThat(config).isEqualTo(HubConfig.fromEnvironment(Map.of(), HOME));
  }

  @Test
  void withersChangeOneSetting() {
    HubConfig config =
        HubConfig.fromEnvironment(Map.of(), HOME)
            .withEndpoint(URI.create("http://127.0.0.1:8080"))
            .withToken(Optional.of("hf_x"))
            .withCacheDirectory(Path.of("/tmp/hub"))
            .withConnectTimeout(Duration.ofMillis(500))
            .withRequestTimeout(Duration.ofSeconds(3))
            .withRetries(2, Duration.ofMillis(50));

    assertThat(config)
        .isEqualTo(
            new HubConfig(
                URI.create("http://127.0.0.1:8080"),
                Optional.of("hf_x"),
                Path.of("/tmp/hub"),
                Duration.ofMillis(500),
                Duration.ofSeconds(3),
                2,
                Duration.ofMillis(50)));
  }

  @Test
  void neverPrintsTheToken() {
    HubConfig config = HubConfig.fromEnvironment(Map.of("HF_TOKEN", "hf_secret"), HOME);

    assertThat(config.toString()).doesNotContain("hf_secret").contains("token=<set>");
  }

  @Test
  void refusesNoAttemptsAndZeroTimeouts() {
    HubConfig config = HubConfig.fromEnvironment(Map.of(), HOME);

    assertThatThrownBy(() -> config.withRetries(0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> config.withConnectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeouts");
  }
}
