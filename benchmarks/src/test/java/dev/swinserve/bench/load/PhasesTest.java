package dev.swinserve.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.bench.load.Phases.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PhasesTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long START = 5 * SECOND;

  private final LoadSpec.Builder spec =
      LoadSpec.builder(ModelSpec.newBuilder().setName("tiny").build())
          .images(List.of(Path.of("a.png")))
          .warmup(Duration.ofSeconds(1));

  @Test
  void byDurationWarmsUpThenMeasuresThenStops() {
    Phases phases = new Phases(spec.duration(Duration.ofSeconds(2)).build(), START);

    assertThat(phases.admit(START)).isEqualTo(Phase.WARMUP);
    assertThat(phases.admit(START + SECOND - 1)).isEqualTo(Phase.WARMUP);
    assertThat(phases.admit(START + SECOND)).isEqualTo(Phase.MEASURED);
    assertThat(phases.admit(START + 3 * SECOND - 1)).isEqualTo(Phase.MEASURED);
    assertThat(phases.over(START + 3 * SECOND - 1)).isFalse();
    assertThat(phases.admit(START + 3 * SECOND)).isEqualTo(Phase.STOP);
    assertThat(phases.over(START + 3 * SECOND)).isTrue();
    assertThat(phases.measureStartNanos()).isEqualTo(START + SECOND);
    assertThat(phases.measureEndNanos()).isEqualTo(START + 3 * SECOND);
  }

  @Test
  void byCountMeasuresExactlyThatManyHoweverLongItTakes() {
    Phases phases = new Phases(spec.requests(3).build(), START);

    assertThat(phases.admit(START)).isEqualTo(Phase.WARMUP);
    List<Phase> measured =
        IntStream.range(0, 5).mapToObj(i -> phases.admit(START + 100 * SECOND)).toList();

    assertThat(measured)
        .containsExactly(Phase.MEASURED, Phase.MEASURED, Phase.MEASURED, Phase.STOP, Phase.STOP);
    assertThat(phases.over(START)).isTrue();
    assertThat(phases.byCount()).isTrue();
  }

  @Test
  void stopEndsEveryPhase() {
    Phases phases = new Phases(spec.build(), START);

    phases.stop();

    assertThat(phases.admit(START)).isEqualTo(Phase.STOP);
    assertThat(phases.admit(START + 2 * SECOND)).isEqualTo(Phase.STOP);
  }
}
