package dev.swinserve.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleManagerTest {

  private final List<String> events = new ArrayList<>();
  private final LifecycleManager lifecycle = new LifecycleManager();

  private RecordingComponent register(String name) {
    RecordingComponent component = new RecordingComponent(name, events);
    lifecycle.register(component);
    return component;
  }

  @Test
  void startsInRegistrationOrderAndStopsInReverse() throws Exception {
    register("threads");
    register("registry");
    register("server");

    lifecycle.start();
    lifecycle.stop();

    assertThat(events)
        .containsExactly(
            "start threads",
            "start registry",
            "start server",
            "close server",
            "close registry",
            "close threads");
  }

  @Test
  void aFailingCloseDoesNotSkipTheRestAndTheFirstFailureCarriesTheOthers() throws Exception {
    register("threads");
    lifecycle.register(new RecordingComponent("registry", events).failingToClose());
    lifecycle.register(new RecordingComponent("scheduler", events).failingToClose());
    register("server");
    lifecycle.start();
    events.clear();

    assertThatThrownBy(lifecycle::stop)
        .hasMessage("scheduler cannot close")
        .satisfies(
            failure ->
                assertThat(failure.getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("registry cannot close"));
    assertThat(events)
        .containsExactly("close server", "close scheduler", "close registry", "close threads");
  }

  @Test
  void stopIsIdempotent() throws Exception {
    register("threads");
    register("server");
    lifecycle.start();

    lifecycle.stop();
    lifecycle.stop();

    assertThat(events)
        .containsExactly("start threads", "start server", "close server", "close threads");
  }

  @Test
  void aStartFailureStopsWhatStartedAndNothingElse() throws Exception {
    register("threads");
    lifecycle.register(new RecordingComponent("registry", events).failingToClose());
    lifecycle.register(new RecordingComponent("server", events).failingToStart());
    register("readiness");

    assertThatThrownBy(lifecycle::start)
        .hasMessage("server cannot start")
        .satisfies(
            failure ->
                assertThat(failure.getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("registry cannot close"));
    lifecycle.stop();

    assertThat(events)
        .as("the failed component is not closed, the one after it neither started nor closed")
        .containsExactly(
            "start threads", "start registry", "start server", "close registry", "close threads");
  }

  @Test
  void stoppingWhatNeverStartedClosesEveryComponent() throws Exception {
    register("threads");
    register("server");

    lifecycle.stop();

    assertThat(events).containsExactly("close server", "close threads");
    assertThatThrownBy(lifecycle::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aComponentIsRegisteredOnceAndNotAfterTheStart() throws Exception {
    RecordingComponent threads = register("threads");
    lifecycle.register(threads);
    assertThat(lifecycle.components()).containsExactly(threads);

    lifecycle.start();

    assertThatThrownBy(() -> register("late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("late")
        .hasMessageContaining("already started");
    assertThatThrownBy(lifecycle::start).isInstanceOf(IllegalStateException.class);
    assertThat(events).containsExactly("start threads");
  }
}
