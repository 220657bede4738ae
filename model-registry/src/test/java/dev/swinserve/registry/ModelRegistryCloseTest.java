package dev.swinserve.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shutting down: waiting for handles and loads, within the unload timeout. */
@Timeout(30)
class ModelRegistryCloseTest extends RegistryTestBase {

  @BeforeEach
  void setUp() {
    repository.addVersion("m", 1);
  }

  @Test
  void closesEveryServableOnceAndRefusesCallsAfterwards() {
    ModelRegistry<FakeServable> registry = fixture.start();

    registry.close();
    registry.close();

    assertThat(fixture.loader.servable("m", 1).closes()).isEqualTo(1);
    assertThat(registry.list()).isEmpty();
    assertThatThrownBy(() -> registry.acquire("m", VersionSelector.defaultVersion()))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("the model registry is closed");
    assertThatThrownBy(registry::reload).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(registry::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void waitsForOpenHandlesBeforeClosingTheirServable() throws Exception {
    ModelRegistry<FakeServable> registry = fixture.start();
    ModelHandle<FakeServable> inFlight = registry.acquire("m", VersionSelector.defaultVersion());

    CompletableFuture<Void> closing = CompletableFuture.runAsync(registry::close);
    assertThat(fixture.listener.await("m@1 UNLOADING")).isTrue();

    assertThat(closing).isNotDone();
    assertThat(inFlight.servable().isClosed()).isFalse();
    inFlight.close();
    closing.get(10, TimeUnit.SECONDS);
    assertThat(fixture.loader.servable("m", 1).closes()).isEqualTo(1);
  }

  @Test
  void closesRegardlessOnceTheUnloadTimeoutPasses() {
    ModelRegistry<FakeServable> registry =
        fixture.create(fixture.config().withUnloadTimeout(Duration.ofMillis(50)));
    registry.start();
    ModelHandle<FakeServable> leaked = registry.acquire("m", VersionSelector.defaultVersion());

    registry.close();

    FakeServable servable = fixture.loader.servable("m", 1);
    assertThat(servable.closes()).isEqualTo(1);
    leaked.close();
    assertThat(servable.closes()).as("closed twice").isEqualTo(1);
  }

  @Test
  void waitsForARunningLoadAndClosesWhatItLoaded() throws Exception {
    Gate load = fixture.loader.holdLoad("m", 1);
    ModelRegistry<FakeServable> registry = fixture.create();
    CompletableFuture<Void> starting = RegistryFixture.startInBackground(registry);
    assertThat(load.awaitEntered()).isTrue();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(registry::close);
    load.open();
    closing.get(10, TimeUnit.SECONDS);
    starting.get(10, TimeUnit.SECONDS);

    assertThat(fixture.loader.servable("m", 1).closes()).isEqualTo(1);
    assertThat(registry.list()).isEmpty();
  }
}
