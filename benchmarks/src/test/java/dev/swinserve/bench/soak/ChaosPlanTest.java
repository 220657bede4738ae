package dev.swinserve.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosPlanTest {

  @Test
  void theSameSeedMakesTheSameSteps() {
    assertThat(steps(new ChaosPlan(9, Duration.ofSeconds(2), Duration.ofSeconds(5)), 200))
        .isEqualTo(steps(new ChaosPlan(9, Duration.ofSeconds(2), Duration.ofSeconds(5)), 200));
  }

  @Test
  void anotherSeedMakesOtherSteps() {
    assertThat(steps(new ChaosPlan(9, Duration.ofSeconds(2), Duration.ofSeconds(5)), 50))
        .isNotEqualTo(steps(new ChaosPlan(10, Duration.ofSeconds(2), Duration.ofSeconds(5)), 50));
  }

  @Test
  void pausesStayWithinTheirBoundsAndEveryActionComesUpByItsWeight() {
    ChaosPlan plan = new ChaosPlan(1, Duration.ofSeconds(2), Duration.ofSeconds(5));
    Map<ChaosPlan.Action, Integer> counts = new EnumMap<>(ChaosPlan.Action.class);
    for (ChaosPlan.Step step : steps(plan, 17_000)) {
      assertThat(step.pause()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5));
      counts.merge(step.action(), 1, Integer::sum);
    }
    // Weights 3, 2, 1, 3, 2, 6 of 17: each action within 15% of its share.
    assertThat(counts.get(ChaosPlan.Action.ADD_CORRUPT_VERSION)).isBetween(850, 1150);
    assertThat(counts.get(ChaosPlan.Action.ADD_VERSION)).isBetween(2550, 3450);
    assertThat(counts.get(ChaosPlan.Action.DELETE_VERSION)).isBetween(1700, 2300);
    assertThat(counts.get(ChaosPlan.Action.FLIP_LABEL)).isBetween(2550, 3450);
    assertThat(counts.get(ChaosPlan.Action.REWRITE_ENDPOINTS)).isBetween(1700, 2300);
    assertThat(counts.get(ChaosPlan.Action.BAD_INPUT)).isBetween(5100, 6900);
  }

  private static List<ChaosPlan.Step> steps(ChaosPlan plan, int count) {
    List<ChaosPlan.Step> steps = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      steps.add(plan.next());
    }
    return steps;
  }
}
