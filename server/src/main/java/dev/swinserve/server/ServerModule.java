package dev.swinserve.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.TypeLiteral;
import dev.swinserve.registry.ModelLoader;
import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.registry.RegistryConfig;
import dev.swinserve.server.classify.ClassificationService;
import dev.swinserve.server.classify.ShadowRunner;
import dev.swinserve.server.config.LimitsConfig;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.grpc.HealthReporter;
import dev.swinserve.server.grpc.ShutdownDrain;
import dev.swinserve.server.grpc.StreamSettings;
import dev.swinserve.server.metrics.RetiredVersionMetrics;
import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.routing.EndpointsFileWatcher;
import dev.swinserve.server.routing.Router;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.runtime.tensorflow.TensorFlowModelLoader;
import dev.swinserve.server.scheduling.BatchingScheduler;
import dev.swinserve.server.scheduling.InferenceScheduler;
import dev.swinserve.server.scheduling.BatchingConfig;
import dev.swinserve.server.scheduling.SchedulingConfig;
import dev.swinserve.server.scheduling.Threads;
import io.grpc.protobuf.services.HealthStatusManager;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;

/** The serving core: registry, runtime, scheduler, router. Only wires; no logic. */
public final class ServerModule extends AbstractModule {

  private final ServerConfig config;

  /** @param config its model repository must be set (the default one is made before wiring) */
  public ServerModule(ServerConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(ServerConfig.class).toInstance(config);
    bind(RuntimeConfig.class).toInstance(config.runtime());
    bind(BatchingConfig.class).toInstance(config.batching());
    bind(SchedulingConfig.class).toInstance(config.scheduling());
    bind(LimitsConfig.class).toInstance(config.limits());
    bind(Clock.class).toInstance(Clock.systemUTC());
    bind(new TypeLiteral<ModelLoader<ClassificationModel>>() {}).to(TensorFlowModelLoader.class);
    bind(InferenceScheduler.class).to(BatchingScheduler.class);
    bind(ClassificationService.class).in(Singleton.class);
    bind(Router.class).in(Singleton.class);
    bind(ShadowRunner.class).in(Singleton.class);
    bind(ShutdownDrain.class).in(Singleton.class);
    bind(HealthStatusManager.class).toInstance(new HealthStatusManager());
  }

  @Provides
  @Singleton
  ModelRegistry<ClassificationModel> registry(ModelLoader<ClassificationModel> loader, Clock clock,
      HealthReporter health, ServerMetrics metrics) {
    Path repository = config.modelRepository().orElseThrow(
        () -> new IllegalStateException("no model repository configured"));
    RegistryConfig registryConfig =
        new RegistryConfig(repository, config.pollInterval(), config.loadThreads(), config.shutdownGrace());
    if (config.memoryBudgetMebibytes() > 0) {
      registryConfig = registryConfig.withMemoryBudgetBytes(config.memoryBudgetMebibytes() * (1L << 20));
    }
    ModelRegistry<ClassificationModel> registry = new ModelRegistry<>(registryConfig, loader, clock);
    registry.addListener(health);
    registry.addListener(RetiredVersionMetrics.of(metrics, registry));
    return registry;
  }

  @Provides
  @Singleton
  EndpointsFileWatcher endpointsFile(Router router) {
    Path repository = config.modelRepository().orElseThrow(
        () -> new IllegalStateException("no model repository configured"));
    return new EndpointsFileWatcher(repository.resolve(EndpointsFileWatcher.FILE_NAME), router,
        Executors.newSingleThreadScheduledExecutor(Threads.daemon("endpoints-file")), config.pollInterval());
  }

  @Provides
  @Singleton
  StreamSettings streamSettings() {
    return new StreamSettings(config.streamMaxInFlight(), config.streamStallTimeout(),
        Executors.newSingleThreadScheduledExecutor(Threads.daemon("stream-timers")));
  }
}
