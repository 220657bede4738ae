package dev.swinserve.registry;

import static dev.swinserve.registry.RegistryFixture.resolve;
import static dev.swinserve.registry.RegistryFixture.states;
import static dev.swinserve.registry.RegistryFixture.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registry fed by a source other than the file system: versions appear, change and disappear as
 * they do with directories, and the registry owns the source's life.
 */
@Timeout(30)
class ModelRegistrySourceTest extends RegistryTestBase {

  private static final VersionSelector DEFAULT = VersionSelector.defaultVersion();

  private final InMemorySource source = new InMemorySource();
  private ModelRegistry<FakeServable> registry;

  @BeforeEach
  void setUp() {
    source.offer("m", 1);
    registry = fixture.create(fixture.config(), source);
  }

  @Test
  void startLoadsWhatTheSourceOffersFromTheLocationItGives() {
    registry.start();

    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(1);
    assertThat(fixture.loader.servable("m", 1).directory()).isEqualTo(Path.of("memory", "m", "1"));
    assertThat(source.started()).isTrue();
  }

  @Test
  void aNewVersionTheSourceEmitsOnItsOwnTakesOver() throws Exception {
    registry.start();

    source.offer("m", 2);
    source.emit().get(10, TimeUnit.SECONDS);

    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(2);
    assertThat(fixture.listener.await("m@1 UNLOADED")).isTrue();
    assertThat(fixture.loader.servable("m", 1).closes()).isEqualTo(1);
  }

  @Test
  void aWithdrawnVersionAndARemovedModelGo() throws Exception {
    source.offer("other", 1);
    registry.start();

    source.offer("m", 2);
    source.withdraw("m", 1);
    source.remove("other");
    registry.reload();

    assertThat(fixture.listener.await("other not serving")).isTrue();
    assertThat(fixture.listener.await("m@1 UNLOADED")).isTrue();
    assertThat(registry.reload()).extracting(ModelStatus::name).containsExactly("m");
    assertThat(states(registry.status("m"))).isEqualTo(Map.of(2L, VersionState.AVAILABLE));
  }

  @Test
  void theModelsConfigurationComesFromTheSource() {
    source.offer("m", 2);
    source.configure("m", new ModelConfig(VersionPolicy.all(), Map.of("stable", 1L), null));

    registry.start();

    assertThat(states(registry.status("m")))
        .isEqualTo(Map.of(1L, VersionState.AVAILABLE, 2L, VersionState.AVAILABLE));
    assertThat(resolve(registry, "m", DEFAULT)).isEqualTo(1);
  }

  @Test
  void aFailedVersionIsTriedAgainOnlyOnceItsRevisionChanges() {
    fixture.loader.failLoad("m", 1, "bad weights");
    registry.start();
    fixture.loader.heal("m", 1);

    registry.reload();
    assertThat(version(registry.status("m"), 1).state()).isEqualTo(VersionState.FAILED);
    assertThat(fixture.loader.loadsOf("m", 1)).isEqualTo(1);

    source.replace("m", 1);
    registry.reload();

    assertThat(version(registry.status("m"), 1).state()).isEqualTo(VersionState.AVAILABLE);
    assertThat(fixture.loader.loadsOf("m", 1)).isEqualTo(2);
  }

  @Test
  void closingTheRegistryClosesItsSource() {
    registry.start();

    registry.close();

    assertThat(source.closed()).isTrue();
    assertThat(registry.list()).isEmpty();
    assertThat(registry.problems()).isEqualTo(List.of());
  }
}
