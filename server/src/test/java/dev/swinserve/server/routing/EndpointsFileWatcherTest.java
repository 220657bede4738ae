package dev.swinserve.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.testing.ScriptedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot changes of endpoints.yaml, and how they interact with run-time changes. */
class EndpointsFileWatcherTest {

  @TempDir Path repository;

  private final Router router =
      new Router(
          (model, version) -> ScriptedModel.signOfFirstValue(new ModelVersionId(model, 1)).handle(),
          new Random(1)::nextDouble);
  private final ScheduledThreadPoolExecutor poller = new ScheduledThreadPoolExecutor(1);
  private EndpointsFileWatcher watcher;
  private Path file;

  @BeforeEach
  void setUp() {
    file = repository.resolve(EndpointsFileWatcher.FILE_NAME);
    // Polling off: the test checks explicitly.
    watcher = new EndpointsFileWatcher(file, router, poller, Duration.ZERO);
  }

  @AfterEach
  void tearDown() {
    watcher.close();
    poller.shutdownNow();
  }

  private void write(String yaml) throws IOException {
    Files.writeString(file, yaml);
  }

  @Test
  void appliesTheFileAtStartAndEachChange() throws IOException {
    write("endpoints: {classifier: {arms: [{model: a, weight: 1}]}}");
    watcher.start();
    assertThat(router.table().endpoints()).containsOnlyKeys("classifier");

    write(
        "endpoints: {classifier: {arms: [{model: b, weight: 1}]}, second: {arms: [{model: a, weight: 1}]}}");
    watcher.check();

    assertThat(router.table().endpoints()).containsOnlyKeys("classifier", "second");
    assertThat(router.endpoint("classifier").arms().get(0).model().model()).isEqualTo("b");
    assertThat(watcher.error()).isEmpty();
  }

  @Test
  void runTimeChangesWinUntilTheFileChangesAgain() throws IOException {
    write("endpoints: {classifier: {arms: [{model: a, weight: 1}]}}");
    watcher.start();
    router.set(
        new Endpoint(
            "runtime",
            List.of(new Endpoint.Arm(new ModelTarget("c", VersionSelector.defaultVersion()), 1)),
            List.of()));

    watcher.check();
    assertThat(router.table().endpoints())
        .as("file unchanged")
        .containsOnlyKeys("classifier", "runtime");

    write("endpoints: {classifier: {arms: [{model: d, weight: 1}]}}");
    watcher.check();
    assertThat(router.table().endpoints()).as("file changed").containsOnlyKeys("classifier");
  }

  @Test
  void aBadFileKeepsTheLastGoodRoutingAndReportsWhy() throws IOException {
    write("endpoints: {classifier: {arms: [{model: a, weight: 1}]}}");
    watcher.start();

    write("endpoints: {classifier: {arms: [{model: a, weight: -5}]}}");
    watcher.check();
    assertThat(router.endpoint("classifier").arms().get(0).weight()).isEqualTo(1);
    assertThat(watcher.error())
        .hasValueSatisfying(error -> assertThat(error).contains("must not be negative"));

    write("endpoints: {classifier: {arms: [{model: a, weight: 3}]}}");
    watcher.check();
    assertThat(router.endpoint("classifier").arms().get(0).weight()).isEqualTo(3);
    assertThat(watcher.error()).isEmpty();
  }

  @Test
  void aRemovedFileRemovesItsEndpointsAndNoFileIsNoError() throws IOException {
    watcher.start();
    assertThat(router.table().endpoints()).isEmpty();
    assertThat(watcher.error()).isEmpty();

    write("endpoints: {classifier: {arms: [{model: a, weight: 1}]}}");
    watcher.check();
    Files.delete(file);
    watcher.check();

    assertThat(router.table().endpoints()).isEmpty();
  }

  @Test
  void closingStopsThePollingButLeavesThePollerToItsOwner() throws Exception {
    EndpointsFileWatcher polling =
        new EndpointsFileWatcher(file, router, poller, Duration.ofHours(1));
    polling.start();
    assertThat(poller.getQueue())
        .as("scheduled polls")
        .singleElement()
        .satisfies(poll -> assertThat((Future<?>) poll).isNotCancelled());

    polling.close();

    assertThat(poller.getQueue())
        .as("scheduled polls after close")
        .singleElement()
        .satisfies(poll -> assertThat((Future<?>) poll).isCancelled());
    assertThat(poller.isShutdown()).as("poller shut down").isFalse();
  }
}
