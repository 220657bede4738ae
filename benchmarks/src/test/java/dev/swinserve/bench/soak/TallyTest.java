package dev.swinserve.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class TallyTest {

  @Test
  void aCauseIsItsCodeAndItsDescriptionWithNumbersGeneralised() {
    assertThat(
            Tally.cause(
                Status.UNAVAILABLE.withDescription(
                    "label 'stable' points at version 14, which is UNLOADING")))
        .isEqualTo("UNAVAILABLE: label 'stable' points at version N, which is UNLOADING");
    assertThat(
            Tally.cause(
                Status.UNAVAILABLE.withDescription(
                    "label 'stable' points at version 4, which is not loaded (versions: 1 UNLOADED, 5, 6 FAILED)")))
        .isEqualTo(
            "UNAVAILABLE: label 'stable' points at version N, which is not loaded (versions: ...)");
    assertThat(Tally.cause(Status.DEADLINE_EXCEEDED)).isEqualTo("DEADLINE_EXCEEDED");
    assertThat(Tally.cause(Status.INTERNAL.withDescription("x".repeat(10_000))))
        .hasSize("INTERNAL: ".length() + 163);
  }

  @Test
  void countsEachKeyWithItsFirstAndLastTimeAndSumsByStatus() {
    Tally tally = new Tally();
    tally.record("UNAVAILABLE: version N is UNLOADING", 12.5);
    tally.record("UNAVAILABLE: version N is UNLOADING", 13.0);
    tally.record("UNAVAILABLE: breaker open", 14.0);
    tally.record("INTERNAL", 20.0);

    assertThat(tally.entries().get("UNAVAILABLE: version N is UNLOADING"))
        .isEqualTo(new Tally.Entry(2, 12.5, 13.0));
    assertThat(tally.total()).isEqualTo(4);
    assertThat(tally.byPrefix())
        .containsEntry("UNAVAILABLE", 3L)
        .containsEntry("INTERNAL", 1L)
        .hasSize(2);
  }
}
