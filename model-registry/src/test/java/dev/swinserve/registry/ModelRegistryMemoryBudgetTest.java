package dev.swinserve.registry;

import static dev.swinserve.registry.RegistryFixture.resolve;
import static dev.swinserve.registry.RegistryFixture.states;
import static dev.swinserve.registry.RegistryFixture.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A registry with a memory budget loads a version only if its loader's estimate fits beside the
 * versions holding memory; one that does not waits, LOADING with the reason, and loads once room
 * appears. Nothing AVAILABLE is unloaded to make room.
 */
@Timeout(30)
class ModelRegistryMemoryBudgetTest extends RegistryTestBase {

  private static final long MEBIBYTE = 1 << 20;
  private static final VersionSelector DEFAULT = VersionSelector.defaultVersion();

  private ModelRegistry<FakeServable> startWithBudget(long mebibytes) {
    ModelRegistry<FakeServable> registry =
        fixture.create(fixture.config().withMemoryBudgetBytes(mebibytes * MEBIBYTE));
    registry.start();
    return registry;
  }

  /** a@1 takes 60 of the 100 MiB; b@1, added after, needs 60 too. */
  private ModelRegistry<FakeServable> startWithModelBWaiting() {
    add("a", 1, 60);
    ModelRegistry<FakeServable> registry = startWithBudget(100);
    add("b", 1, 60);
    registry.reload();
    return registry;
  }

  private void add(String model, long version, long mebibytes) {
    repository.addVersion(model, version);
    fixture.loader.estimate(model, version, mebibytes * MEBIBYTE);
  }

  @Test
  void versionsThatFitTogetherLoad() {
    add("a", 1, 60);
    add("b", 1, 40);

    ModelRegistry<FakeServable> registry = startWithBudget(100);

    assertThat(resolve(registry, "a", DEFAULT)).isEqualTo(1);
    assertThat(resolve(registry, "b", DEFAULT)).isEqualTo(1);
    assertThat(fixture.loader.estimated())
        .containsExactlyInAnyOrder(new ModelVersionId("a", 1), new ModelVersionId("b", 1));
  }

  @Test
  void aVersionThatDoesNotFitWaitsWithTheReasonInItsStatus() {
    ModelRegistry<FakeServable> registry = startWithModelBWaiting();

    VersionStatus waiting = version(registry.status("b"), 1);
    assertThat(waiting.state()).isEqualTo(VersionState.LOADING);
    assertThat(waiting.error())
        .isEqualTo(
            Optional.of(
                "waiting for memory: needs 60 MiB, 40 MiB of the 100 MiB memory budget free"));
    assertThat(fixture.loader.loadsOf("b", 1)).isZero();
    assertThatThrownBy(() -> registry.acquire("b", VersionSelector.version(1)))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage(
            "model 'b' version 1 is LOADING (waiting for memory: needs 60 MiB, 40 MiB of the 100 MiB"
                + " memory budget free)");
  }

  @Test
  void aWaitingVersionLoadsOnceAnotherUnloads() throws Exception {
    ModelRegistry<FakeServable> registry = startWithModelBWaiting();

    repository.removeModel("a");
    registry.reload();

    assertThat(fixture.listener.await("b@1 AVAILABLE")).isTrue();
    assertThat(version(registry.status("b"), 1).error()).isEmpty();
    assertThat(resolve(registry, "b", DEFAULT)).isEqualTo(1);
  }

  @Test
  void anAvailableVersionIsNeverUnloadedToMakeRoomForItsSuccessor() {
    add("m", 1, 60);
    ModelRegistry<FakeServable> registry = startWithBudget(100);
    add("m", 2, 60);

    ModelStatus status = registry.reload().get(0);

    assertThat(states(status))
        .isEqualTo(Map.of(1L, VersionState.AVAILABLE, 2L, VersionState.LOADING));
    assertThat(version(status, 2).error())
        .hasValueSatisfying(reason -> assertThat(reason).startsWith("waiting for memory"));
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(1);
    assertThat(fixture.loader.servable("m", 1).closes()).isZero();
  }

  @Test
  void aWaitingVersionNoLongerSelectedBecomesUnloadedWithoutLoading() {
    ModelRegistry<FakeServable> registry = startWithModelBWaiting();
    add("b", 2, 10);

    registry.reload();

    assertThat(states(registry.status("b")))
        .isEqualTo(Map.of(1L, VersionState.UNLOADED, 2L, VersionState.AVAILABLE));
    assertThat(version(registry.status("b"), 1).error()).isEmpty();
    assertThat(fixture.loader.loadsOf("b", 1)).isZero();
  }

  @Test
  void aVersionLargerThanTheWholeBudgetFails() {
    add("m", 1, 101);

    ModelRegistry<FakeServable> registry = startWithBudget(100);

    VersionStatus failed = version(registry.status("m"), 1);
    assertThat(failed.state()).isEqualTo(VersionState.FAILED);
    assertThat(failed.error())
        .isEqualTo(
            Optional.of("needs 101 MiB of memory, more than the whole 100 MiB memory budget"));
  }

  @Test
  void anEstimateThatFailsFailsTheVersion() {
    repository.addVersion("m", 1);
    fixture.loader.failEstimate("m", 1, "cannot read variables/");

    ModelRegistry<FakeServable> registry = startWithBudget(100);

    assertThat(version(registry.status("m"), 1).error())
        .isEqualTo(Optional.of("cannot read variables/"));
    assertThat(fixture.loader.loadsOf("m", 1)).isZero();
  }

  @Test
  void memoryOfAFailedLoadIsGivenBack() throws Exception {
    add("a", 1, 60);
    fixture.loader.failWarmUp("a", 1, "warm-up crashed");
    Gate warmUp = fixture.loader.holdWarmUp("a", 1);
    ModelRegistry<FakeServable> registry =
        fixture.create(fixture.config().withMemoryBudgetBytes(100 * MEBIBYTE));
    CompletableFuture<Void> starting = RegistryFixture.startInBackground(registry);
    assertThat(warmUp.awaitEntered()).isTrue();
    add("b", 1, 60);
    registry.reload();
    assertThat(version(registry.status("b"), 1).error())
        .hasValueSatisfying(reason -> assertThat(reason).startsWith("waiting for memory"));

    warmUp.open();
    starting.get(10, TimeUnit.SECONDS);

    assertThat(fixture.listener.await("b@1 AVAILABLE")).isTrue();
    assertThat(version(registry.status("a"), 1).state()).isEqualTo(VersionState.FAILED);
    assertThat(resolve(registry, "b", DEFAULT)).isEqualTo(1);
  }

  @Test
  void closingDropsWaitingVersions() throws Exception {
    ModelRegistry<FakeServable> registry = startWithModelBWaiting();

    registry.close();

    assertThat(fixture.listener.await("b@1 UNLOADED")).isTrue();
    assertThat(registry.list()).isEmpty();
    assertThat(fixture.loader.loadsOf("b", 1)).isZero();
  }

  @Test
  void withoutABudgetNoEstimateIsAskedFor() {
    add("m", 1, 1_000_000);

    ModelRegistry<FakeServable> registry = fixture.start();

    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(1);
    assertThat(fixture.loader.estimated()).isEmpty();
  }
}
