package dev.swinserve.converter.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

  private static final long MEBIBYTE = 1024 * 1024;

  private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
  private final ManualInstantSource clock = new ManualInstantSource();

  private ConsoleProgress progress(boolean quiet) {
    return new ConsoleProgress(
        new PrintStream(terminal, true, StandardCharsets.UTF_8), clock, quiet);
  }

  private String drawn() {
    return terminal.toString(StandardCharsets.UTF_8);
  }

  @Test
  void drawsNameBytesPercentAndRate() {
    ConsoleProgress progress = progress(false);
    progress.started("model.safetensors", 10 * MEBIBYTE, 0);
    clock.advance(Duration.ofSeconds(2));

    progress.transferred("model.safetensors", 4 * MEBIBYTE);

    assertThat(drawn()).endsWith("\rmodel.safetensors  4.0 MiB / 10.0 MiB   40%  2.0 MiB/s");
  }

  @Test
  void redrawsAtMostTenTimesASecond() {
    ConsoleProgress progress = progress(false);
    progress.started("model.safetensors", 1000, 0);
    for (int step = 1; step <= 100; step++) {
      clock.advance(Duration.ofMillis(10));
      progress.transferred("model.safetensors", step * 10L);
    }

    // One second of updates every 10 ms: the first draw plus one per 100 ms.
    assertThat(drawn().chars().filter(character -> character == '\r').count()).isEqualTo(11);
  }

  @Test
  void endsWithAFinalLine() {
    ConsoleProgress progress = progress(false);
    progress.started("config.json", 1172, 0);

    progress.finished("config.json", 1172);

    assertThat(drawn()).contains("1.1 KiB / 1.1 KiB  100%").endsWith(System.lineSeparator());
  }

  @Test
  void countsTheRateFromResumedBytesOnly() {
    ConsoleProgress progress = progress(false);
    progress.started("model.safetensors", 10 * MEBIBYTE, 8 * MEBIBYTE);
    clock.advance(Duration.ofSeconds(1));

    progress.transferred("model.safetensors", 9 * MEBIBYTE);

    assertThat(drawn()).endsWith("90%  1.0 MiB/s");
  }

  @Test
  void quietDrawsNoBarButStillWarns() {
    ConsoleProgress progress = progress(true);
    progress.started("model.safetensors", 1000, 0);
    progress.transferred("model.safetensors", 500);
    progress.finished("model.safetensors", 1000);

    progress.warning("using a cached copy");

    assertThat(drawn()).isEqualTo("warning: using a cached copy" + System.lineSeparator());
  }

  @Test
  void warningStartsOnItsOwnLine() {
    ConsoleProgress progress = progress(false);
    progress.started("model.safetensors", 1000, 0);

    progress.warning("connection dropped");

    assertThat(drawn())
        .endsWith(
            "0 B / 1000 B    0%"
                + System.lineSeparator()
                + "warning: connection dropped"
                + System.lineSeparator());
  }
}
