package dev.swinserve.bench.load.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.bench.load.LoadResult;
import dev.swinserve.bench.load.LoadResults;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelinePlotsTest {

  @TempDir Path temp;

  @Test
  void pngIsAnImageOfTheChartsSizeWithSomethingDrawn() throws IOException {
    Path file = temp.resolve("latency.png");

    TimelinePlots.write(LoadResults.sample(), file);

    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).as("a PNG ImageIO can read").isNotNull();
    assertThat(image.getWidth()).isEqualTo(TimelinePlots.WIDTH);
    assertThat(image.getHeight()).isEqualTo(TimelinePlots.HEIGHT);
    assertThat(colorsIn(image)).as("not a blank canvas").isGreaterThan(3);
  }

  @Test
  void htmlIsOneStandalonePageWithAnInlineSvgChart() throws IOException {
    Path file = temp.resolve("latency.html");

    TimelinePlots.write(LoadResults.sample(), file);

    String html = Files.readString(file);
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<svg", "</svg>", "<polyline", ">p50<", ">p99<")
        .contains("tiny@canary")
        .doesNotContain("<script", "src=\"http", "href=\"http");
  }

  @Test
  void textIsEscapedInTheSvgAndTheHtmlAround() {
    LoadResult sample = LoadResults.sample();
    LoadResult odd =
        new LoadResult(
            sample.spec().toBuilder()
                .model(ModelSpec.newBuilder().setName("a<b&c").build())
                .build(),
            "t",
            sample.startTime(),
            sample.elapsed(),
            sample.requests(),
            sample.succeeded(),
            sample.images(),
            sample.dropped(),
            sample.errors(),
            sample.latency(),
            sample.timeline());

    String html = TimelinePlots.html(odd);

    assertThat(html).contains("a&lt;b&amp;c").doesNotContain("a<b");
  }

  @Test
  void aSecondWithoutSuccessesBreaksTheLatencyLine() {
    String svg = TimelinePlots.html(LoadResults.sample());

    // Seconds 0 and 2 have answers, second 1 none: lone points for p50 and p99, no line across.
    assertThat(svg.split("<circle", -1)).hasSize(1 + 4);
  }

  @Test
  void anEmptyRunStillDrawsAChartSayingSo() throws IOException {
    LoadResult sample = LoadResults.sample();
    LoadResult empty =
        new LoadResult(
            sample.spec(),
            "t",
            sample.startTime(),
            Duration.ZERO,
            0,
            0,
            0,
            0,
            Map.of(),
            LoadResult.Latency.NONE,
            List.of());

    TimelinePlots.write(empty, temp.resolve("empty.png"));

    assertThat(ImageIO.read(temp.resolve("empty.png").toFile()).getWidth())
        .isEqualTo(TimelinePlots.WIDTH);
    assertThat(TimelinePlots.html(empty)).contains("no answers in the measured phase");
  }

  @Test
  void otherExtensionsAreRefusedBeforeWriting() {
    Path file = temp.resolve("latency.jpg");

    assertThat(TimelinePlots.supports(file)).isFalse();
    assertThat(TimelinePlots.supports(temp.resolve("a.HTML"))).isTrue();
    assertThatThrownBy(() -> TimelinePlots.write(LoadResults.sample(), file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(".png or .html");
    assertThat(file).doesNotExist();
  }

  @Test
  void axisCeilingsAreRoundNumbers() {
    assertThat(TimelineChart.niceCeiling(0)).isEqualTo(1);
    assertThat(TimelineChart.niceCeiling(0.7)).isEqualTo(1);
    assertThat(TimelineChart.niceCeiling(13)).isEqualTo(20);
    assertThat(TimelineChart.niceCeiling(420)).isEqualTo(500);
    assertThat(TimelineChart.niceCeiling(501)).isEqualTo(1000);
  }

  private static long colorsIn(BufferedImage image) {
    return IntStream.range(0, image.getWidth() * image.getHeight())
        .map(i -> image.getRGB(i % image.getWidth(), i / image.getWidth()))
        .distinct()
        .count();
  }
}
