package dev.swinserve.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.TypeLiteral;
import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.registry.RegistryException;
import dev.swinserve.server.lifecycle.LifecycleManager;
import dev.swinserve.server.lifecycle.Managed;
import dev.swinserve.server.lifecycle.ServerThreads;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.testing.TestConfigs;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production wiring's lifecycle: which component starts and stops around which, with nothing
 * ordered by hand.
 */
class ServerLifecycleTest {

  private static final Key<ModelRegistry<ClassificationModel>> REGISTRY =
      Key.get(new TypeLiteral<ModelRegistry<ClassificationModel>>() {});

  @TempDir Path repository;

  private static Injector injector(Path repository) {
    String name = "lifecycle-" + UUID.randomUUID();
    return Guice.createInjector(
        new ServerModule(TestConfigs.withRepository(repository)),
        new GrpcModule(),
        new AbstractModule() {
          @Provides
          ServerBuilder<?> transport() {
            return InProcessServerBuilder.forName(name);
          }
        });
  }

  private static String name(Managed component) {
    String text = component.toString();
    return text.startsWith("closing ") && text.contains(ModelRegistry.class.getName())
        ? "registry"
        : component.getClass().getSimpleName();
  }

  @Test
  void componentsStartAfterWhatTheyUseAndStopBeforeIt() {
    Injector injector = injector(repository);
    SwinserveServer server = injector.getInstance(SwinserveServer.class);

    List<String> order =
        injector.getInstance(LifecycleManager.class).components().stream()
            .map(ServerLifecycleTest::name)
            .toList();

    assertThat(order)
        .as("start order")
        .containsSubsequence(
            "ServerThreads", "registry", "ShadowRunner", "ManagedGrpcServer", "Readiness");
    assertThat(order)
        .as("start order")
        .containsSubsequence("registry", "EndpointsFileWatcher", "ManagedGrpcServer");
    assertThat(order)
        .as("start order")
        .containsSubsequence("ServerThreads", "BatchingScheduler", "ShadowRunner");
    assertThat(order)
        .as("start order")
        .containsSubsequence("TransportSecurity", "ManagedHttpServer", "ManagedGrpcServer");
    // Readiness last: every listener, the health-only port too, is up before the port files.
    assertThat(order)
        .as("start order")
        .endsWith("ManagedGrpcServer", "HealthPortServer", "Readiness");
    server.shutdown();
  }

  @Test
  void shutdownClosesTheListenerTheRegistryAndThePools() throws Exception {
    Injector injector = injector(repository);
    SwinserveServer server = injector.getInstance(SwinserveServer.class);
    server.start();

    server.shutdown();
    server.shutdown();

    assertThat(injector.getInstance(Server.class).isTerminated())
        .as("gRPC server terminated")
        .isTrue();
    assertThatThrownBy(() -> injector.getInstance(REGISTRY).reload())
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> injector.getInstance(ServerThreads.class).timer("late"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFailedStartStopsWhatHadStarted() {
    Injector injector = injector(repository.resolve("missing"));
    SwinserveServer server = injector.getInstance(SwinserveServer.class);

    assertThatThrownBy(server::start)
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("missing");

    assertThat(injector.getInstance(Server.class).isTerminated())
        .as("gRPC server terminated")
        .isTrue();
    assertThatThrownBy(() -> injector.getInstance(ServerThreads.class).timer("late"))
        .isInstanceOf(IllegalStateException.class);
  }
}
