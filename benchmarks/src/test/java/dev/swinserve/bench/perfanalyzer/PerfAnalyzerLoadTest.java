package dev.swinserve.bench.perfanalyzer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerfAnalyzerLoadTest {

  @Test
  void theDurationIsThreeWindowsThatAlwaysCountAsStable() {
    PerfAnalyzerLoad load =
        new PerfAnalyzerLoad(
            Protocol.TFSERVING_GRPC,
            "127.0.0.1:4711",
            "swinv2-tiny",
            32,
            1,
            Duration.ofSeconds(30),
            Path.of("input.json"),
            Path.of("out.csv"));

    List<String> arguments = load.arguments();

    assertThat(String.join(" ", arguments))
        .startsWith("--service-kind tfserving -i grpc -u 127.0.0.1:4711 ")
        .contains("-m swinv2-tiny -b 1 --sync --concurrency-range 32:32")
        .contains("--measurement-mode time_windows -p 10000 -s 1000 -r 3")
        .endsWith("--input-data input.json -f out.csv");
  }

  @Test
  void theKserveDoorsUseTritonsServiceKindOverTheirTransport() {
    assertThat(Protocol.KSERVE_GRPC.arguments("h:1"))
        .containsExactly("--service-kind", "triton", "-i", "grpc", "-u", "h:1");
    assertThat(Protocol.KSERVE_HTTP.arguments("h:2"))
        .containsExactly("--service-kind", "triton", "-i", "http", "-u", "h:2");
    assertThat(Protocol.KSERVE_HTTP.http()).isTrue();
    assertThat(Protocol.TFSERVING_GRPC.input()).isEqualTo("pixel_values");
    assertThat(Protocol.KSERVE_GRPC.input()).isEqualTo("pixels");
  }

  @Test
  void aLoadOfNoCallersOrNoTimeIsRefused() {
    assertThatThrownBy(
            () ->
                new PerfAnalyzerLoad(
                    Protocol.KSERVE_GRPC, "h:1", "m", 0, 1, Duration.ofSeconds(3), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("concurrency");
    assertThatThrownBy(
            () ->
                new PerfAnalyzerLoad(
                    Protocol.KSERVE_GRPC, "h:1", "m", 1, 1, Duration.ofMillis(2), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration");
  }
}
