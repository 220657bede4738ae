package dev.swinserve.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An embedding server's thread factory makes every thread of the registry. */
@Timeout(30)
class ModelRegistryThreadsTest extends RegistryTestBase {

  private final List<String> threadsMade = new CopyOnWriteArrayList<>();

  private ThreadFactory recording(String use) {
    ThreadFactory daemons = new DaemonThreadFactory("embedded-" + use);
    return task -> {
      Thread thread = daemons.newThread(task);
      threadsMade.add(thread.getName());
      return thread;
    };
  }

  @Test
  void loadsAndPollingRunOnThreadsOfTheGivenFactory() {
    repository.addVersion("m", 1);
    RegistryConfig polling =
        new RegistryConfig(repository.root(), Duration.ofHours(1), 2, Duration.ofSeconds(5));
    ModelRegistry<FakeServable> registry =
        new ModelRegistry<>(polling, fixture.loader, fixture.clock, this::recording);

    try {
      registry.start();
      assertThat(RegistryFixture.resolve(registry, "m", VersionSelector.defaultVersion()))
          .isEqualTo(1);
    } finally {
      registry.close();
    }

    assertThat(threadsMade)
        .contains("embedded-model-loader-1", "embedded-model-repository-poller-1");
  }
}
