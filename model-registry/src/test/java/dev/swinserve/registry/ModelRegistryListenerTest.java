package dev.swinserve.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When listeners hear that a model starts or stops serving. */
@Timeout(30)
class ModelRegistryListenerTest extends RegistryTestBase {

  @Test
  void servingOnceWhenTheFirstVersionBecomesAvailable() throws Exception {
    repository.addVersion("m", 1);
    repository.addVersion("m", 2);
    repository.writeConfig("m", "version_policy: all\n");

    fixture.start();

    assertThat(fixture.listener.await("m serving")).isTrue();
    assertThat(fixture.listener.servingEvents()).containsExactly("m serving");
  }

  @Test
  void notServingWhenTheLastVersionGoes() throws Exception {
    repository.addVersion("m", 1);
    ModelRegistry<FakeServable> registry = fixture.start();

    repository.removeVersion("m", 1);
    registry.reload();

    assertThat(fixture.listener.await("m not serving")).isTrue();
    assertThat(fixture.listener.servingEvents()).containsExactly("m serving", "m not serving");
  }

  @Test
  void aSwapToANewVersionDoesNotInterruptServing() throws Exception {
    repository.addVersion("m", 1);
    ModelRegistry<FakeServable> registry = fixture.start();

    repository.addVersion("m", 2);
    registry.reload();

    assertThat(fixture.listener.await("m@1 UNLOADED")).isTrue();
    assertThat(fixture.listener.servingEvents()).containsExactly("m serving");
  }

  @Test
  void notServingWhenTheModelDisappears() throws Exception {
    repository.addVersion("m", 1);
    repository.addVersion("other", 1);
    ModelRegistry<FakeServable> registry = fixture.start();

    repository.removeModel("m");
    registry.reload();

    assertThat(fixture.listener.await("m not serving")).isTrue();
    assertThat(fixture.listener.servingEvents()).doesNotContain("other not serving");
  }

  @Test
  void aFailedLoadNeverServes() throws Exception {
    repository.addVersion("m", 1);
    fixture.loader.failLoad("m", 1, "broken");

    fixture.start();

    assertThat(fixture.listener.await("m@1 FAILED")).isTrue();
    assertThat(fixture.listener.servingEvents()).isEmpty();
  }

  @Test
  void closingTheRegistryStopsServing() throws Exception {
    repository.addVersion("m", 1);
    ModelRegistry<FakeServable> registry = fixture.start();

    registry.close();

    assertThat(fixture.listener.await("m not serving")).isTrue();
  }

  @Test
  void aThrowingListenerDoesNotStopTheRegistryOrOtherListeners() throws Exception {
    repository.addVersion("m", 1);
    ModelRegistry<FakeServable> registry = fixture.create();
    registry.addListener(
        (model, serving) -> {
          throw new IllegalStateException("listener bug");
        });
    RecordingListener later = new RecordingListener();
    registry.addListener(later);

    registry.start();

    assertThat(later.await("m serving")).isTrue();
    assertThat(registry.status("m").serving()).isTrue();
  }

  @Test
  void aListenerMayCallBackIntoTheRegistry() throws Exception {
    repository.addVersion("m", 1);
    ModelRegistry<FakeServable> registry = fixture.create();
    CompletableFuture<ModelStatus> labelled = new CompletableFuture<>();
    registry.addListener(
        (model, serving) -> {
          try {
            if (serving) {
              labelled.complete(registry.setLabel(model, "stable", 1));
              registry.reload();
            }
          } catch (RuntimeException e) {
            labelled.completeExceptionally(e);
          }
        });

    registry.start();

    assertThat(labelled.get(10, TimeUnit.SECONDS).labels()).containsEntry("stable", 1L);
  }
}
