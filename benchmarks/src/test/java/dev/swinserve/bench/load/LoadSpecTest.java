package dev.swinserve.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.v1.ModelSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadSpecTest {

  private static final ModelSpec TINY = ModelSpec.newBuilder().setName("tiny").build();
  private static final List<Path> IMAGES = List.of(Path.of("a.png"));

  @Test
  void defaultsAreAFourCallerUnaryClosedLoopForTenSecondsAfterOne() {
    LoadSpec spec = LoadSpec.builder(TINY).images(IMAGES).build();

    assertThat(spec.mode()).isEqualTo(LoadMode.UNARY);
    assertThat(spec.concurrency()).isEqualTo(4);
    assertThat(spec.inFlight()).isEqualTo(8);
    assertThat(spec.openLoop()).isFalse();
    assertThat(spec.maxOutstanding()).isEqualTo(1000);
    assertThat(spec.duration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(spec.byRequestCount()).isFalse();
    assertThat(spec.warmup()).isEqualTo(Duration.ofSeconds(1));
    assertThat(spec.input()).isEqualTo(InputKind.ENCODED);
    assertThat(spec.pixelSize()).isEqualTo(256);
    assertThat(spec.batch()).isEqualTo(1);
    assertThat(spec.deadline()).isEqualTo(Duration.ofSeconds(30));
    assertThat(spec.seed()).isEqualTo(42);
  }

  @Test
  void everyValueMapsThroughTheBuilderAndBack() {
    LoadSpec spec =
        LoadSpec.builder(TINY)
            .model(ModelSpec.newBuilder().setName("small").setLabel("canary").build())
            .mode(LoadMode.STREAM)
            .concurrency(3)
            .inFlight(5)
            .ratePerSecond(250.5)
            .maxOutstanding(64)
            .requests(900)
            .warmup(Duration.ofMillis(1500))
            .input(InputKind.PIXELS)
            .pixelSize(192)
            .batch(8)
            .deadline(Duration.ofMillis(750))
            .seed(7)
            .build();

    assertThat(spec)
        .isEqualTo(
            new LoadSpec(
                ModelSpec.newBuilder().setName("small").setLabel("canary").build(),
                LoadMode.STREAM,
                3,
                5,
                250.5,
                64,
                Duration.ZERO,
                900,
                Duration.ofMillis(1500),
                InputKind.PIXELS,
                List.of(),
                192,
                8,
                Duration.ofMillis(750),
                7));
    assertThat(spec.openLoop()).isTrue();
    assertThat(spec.byRequestCount()).isTrue();
    assertThat(spec.toBuilder().build()).isEqualTo(spec);
  }

  @Test
  void durationAndRequestsReplaceEachOther() {
    LoadSpec.Builder builder = LoadSpec.builder(TINY).images(IMAGES);

    assertThat(builder.requests(10).build())
        .extracting(LoadSpec::requests, LoadSpec::duration)
        .containsExactly(10L, Duration.ZERO);
    assertThat(builder.duration(Duration.ofSeconds(3)).build())
        .extracting(LoadSpec::requests, LoadSpec::duration)
        .containsExactly(0L, Duration.ofSeconds(3));
  }

  @Test
  void outOfRangeValuesAreRefusedByName() {
    assertThatThrownBy(() -> LoadSpec.builder(TINY).images(IMAGES).concurrency(0).build())
        .hasMessage("concurrency must be at least 1, was 0");
    assertThatThrownBy(() -> LoadSpec.builder(TINY).images(IMAGES).batch(0).build())
        .hasMessageContaining("batch");
    assertThatThrownBy(() -> LoadSpec.builder(TINY).images(IMAGES).ratePerSecond(-1).build())
        .hasMessageContaining("rate");
    assertThatThrownBy(() -> LoadSpec.builder(TINY).images(IMAGES).duration(Duration.ZERO).build())
        .hasMessage("set exactly one of duration and requests");
    assertThatThrownBy(
            () -> LoadSpec.builder(TINY).images(IMAGES).warmup(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("warmup must not be negative");
    assertThatThrownBy(() -> LoadSpec.builder(TINY).build())
        .hasMessage("encoded input needs at least one image file");
  }
}
