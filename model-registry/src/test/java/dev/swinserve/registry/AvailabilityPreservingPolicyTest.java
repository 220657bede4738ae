package dev.swinserve.registry;

import static dev.swinserve.registry.VersionState.AVAILABLE;
import static dev.swinserve.registry.VersionState.FAILED;
import static dev.swinserve.registry.VersionState.LOADING;
import static dev.swinserve.registry.VersionState.UNLOADED;
import static dev.swinserve.registry.VersionState.UNLOADING;
import static dev.swinserve.registry.VersionState.WARMING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.registry.AvailabilityPreservingPolicy.Transitions;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AvailabilityPreservingPolicyTest {

  @Test
  void loadsDesiredVersionsThatAreNotTracked() {
    Transitions plan = AvailabilityPreservingPolicy.plan(Set.of(1L, 2L), Set.of(1L, 2L), Map.of());

    assertThat(plan.load()).containsExactly(1L, 2L);
    assertThat(plan.retire()).isEmpty();
  }

  @Test
  void keepsTheOldVersionWhileTheNewOneLoads() {
    Map<Long, VersionState> current = Map.of(1L, AVAILABLE, 2L, LOADING);

    assertThat(AvailabilityPreservingPolicy.plan(Set.of(1L, 2L), Set.of(2L), current).isEmpty())
        .isTrue();
    assertThat(
            AvailabilityPreservingPolicy.plan(
                    Set.of(1L, 2L), Set.of(2L), Map.of(1L, AVAILABLE, 2L, WARMING))
                .isEmpty())
        .isTrue();
  }

  @Test
  void retiresTheOldVersionOnceTheNewOneIsAvailable() {
    Transitions plan =
        AvailabilityPreservingPolicy.plan(
            Set.of(1L, 2L), Set.of(2L), Map.of(1L, AVAILABLE, 2L, AVAILABLE));

    assertThat(plan.retire()).containsExactly(1L);
    assertThat(plan.load()).isEmpty();
  }

  @Test
  void keepsTheOldVersionWhenTheNewOneFailed() {
    Transitions plan =
        AvailabilityPreservingPolicy.plan(
            Set.of(1L, 2L), Set.of(2L), Map.of(1L, AVAILABLE, 2L, FAILED));

    assertThat(plan.isEmpty()).isTrue();
  }

  @Test
  void waitsForEveryDesiredVersionToSettleBeforeRetiring() {
    Map<Long, VersionState> current = Map.of(1L, AVAILABLE, 2L, AVAILABLE, 3L, LOADING);

    assertThat(
            AvailabilityPreservingPolicy.plan(Set.of(1L, 2L, 3L), Set.of(2L, 3L), current).retire())
        .isEmpty();
  }

  @Test
  void retiresAVersionWhoseDirectoryIsGoneOnceItsSuccessorIsAvailable() {
    Transitions plan =
        AvailabilityPreservingPolicy.plan(
            Set.of(1L), Set.of(1L), Map.of(1L, AVAILABLE, 2L, AVAILABLE));

    assertThat(plan.retire()).containsExactly(2L);
  }

  @Test
  void aVersionWhoseDirectoryIsGoneServesWhileItsSuccessorLoads() {
    Transitions plan =
        AvailabilityPreservingPolicy.plan(
            Set.of(1L), Set.of(1L), Map.of(1L, UNLOADED, 3L, AVAILABLE));

    assertThat(plan.load()).containsExactly(1L);
    assertThat(plan.retire()).isEmpty();
  }

  @Test
  void aDesiredVersionThatFailedDoesNotCountAsAReplacement() {
    // latest:1 wants 7, a label keeps 1; 7 failed, so 3 stands in for it.
    Map<Long, VersionState> current = Map.of(1L, AVAILABLE, 3L, AVAILABLE, 7L, FAILED);

    assertThat(
            AvailabilityPreservingPolicy.plan(Set.of(1L, 3L, 7L), Set.of(1L, 7L), current)
                .isEmpty())
        .isTrue();
  }

  @Test
  void eachFailedVersionKeepsOneReplacedVersionTheNewestFirst() {
    Map<Long, VersionState> current =
        Map.of(1L, AVAILABLE, 2L, AVAILABLE, 3L, AVAILABLE, 4L, FAILED);

    assertThat(
            AvailabilityPreservingPolicy.plan(Set.of(1L, 2L, 3L, 4L), Set.of(3L, 4L), current)
                .retire())
        .containsExactly(1L);
  }

  @Test
  void retiresEverythingWhenNothingIsDesired() {
    Transitions plan =
        AvailabilityPreservingPolicy.plan(Set.of(), Set.of(), Map.of(1L, AVAILABLE, 2L, AVAILABLE));

    assertThat(plan.retire()).containsExactly(1L, 2L);
  }

  @Test
  void aDesiredVersionUnloadingBeforeAReloadIsStillOnItsWay() {
    Map<Long, VersionState> current = Map.of(1L, UNLOADING, 2L, AVAILABLE);

    assertThat(AvailabilityPreservingPolicy.plan(Set.of(1L, 2L), Set.of(1L), current).retire())
        .isEmpty();
  }

  @Test
  void forgetsFailedAndUnloadedVersionsOnlyWhenTheirDirectoryIsGone() {
    Map<Long, VersionState> current = Map.of(1L, FAILED, 2L, UNLOADED, 3L, FAILED, 4L, UNLOADED);

    Transitions plan = AvailabilityPreservingPolicy.plan(Set.of(3L, 4L), Set.of(), current);

    assertThat(plan.forget()).containsExactly(1L, 2L);
  }

  @Test
  void neitherRetriesAnUnchangedFailureNorReloadsARetiringVersion() {
    Map<Long, VersionState> current = Map.of(1L, FAILED, 2L, UNLOADING);

    assertThat(AvailabilityPreservingPolicy.plan(Set.of(1L, 2L), Set.of(1L, 2L), current).load())
        .isEmpty();
  }

  @Test
  void reloadsADesiredVersionThatWasUnloaded() {
    Transitions plan =
        AvailabilityPreservingPolicy.plan(Set.of(1L), Set.of(1L), Map.of(1L, UNLOADED));

    assertThat(plan.load()).containsExactly(1L);
  }
}
