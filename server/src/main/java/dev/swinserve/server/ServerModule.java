package dev.swinserve.server;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
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
import dev.swinserve.server.lifecycle.LifecycleModule;
import dev.swinserve.server.lifecycle.ServerThreads;
import dev.swinserve.server.metrics.RetiredVersionMetrics;
import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.routing.EndpointsFileWatcher;
import dev.swinserve.server.routing.Router;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.runtime.tensorflow.TensorFlowModelLoader;
import dev.swinserve.server.scheduling.BatchingConfig;
import dev.swinserve.server.scheduling.BatchingScheduler;
import dev.swinserve.server.scheduling.InferenceScheduler;
import dev.swinserve.server.scheduling.SchedulingConfig;
import io.grpc.protobuf.services.HealthStatusManager;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The serving core: registry, runtime, scheduler, router. Only wires; no logic. Components start
 * and stop with the {@link LifecycleModule lifecycle}; thread pools come from {@link
 * ServerThreads}.
 */
public final class ServerModule extends AbstractModule {

  private static final Key<ModelRegistry<ClassificationModel>> REGISTRY =
      Key.get(new TypeLiteral<ModelRegistry<ClassificationModel>>() {});

  private final ServerConfig config;
  private final Path repository;

  /**
   * @param config its model repository must be set (the default one is made before wiring)
   */
  public ServerModule(ServerConfig config) {
    this.config = config;
    this.repository =
        config
            .modelRepository()
            .orElseThrow(() -> new IllegalStateException("no model repository configured"));
  }

  @Override
  protected void configure() {
    install(new LifecycleModule());
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
    LifecycleModule.closing(binder(), REGISTRY);
  }

  @Provides
  @Singleton
  ModelRegistry<ClassificationModel> registry(
      ModelLoader<ClassificationModel> loader,
      Clock clock,
      ServerThreads threads,
      HealthReporter health,
      ServerMetrics metrics) {
    RegistryConfig registryConfig =
        new RegistryConfig(
            repository, config.pollInterval(), config.loadThreads(), config.shutdownGrace());
    if (config.memoryBudgetMebibytes() > 0) {
      registryConfig =
          registryConfig.withMemoryBudgetBytes(config.memoryBudgetMebibytes() * (1L << 20));
    }
    ModelRegistry<ClassificationModel> registry =
        new ModelRegistry<>(registryConfig, loader, clock, threads::factory);
    registry.addListener(health);
    registry.addListener(RetiredVersionMetrics.of(metrics, registry));
    return registry;
  }

  @Provides
  @Singleton
  EndpointsFileWatcher endpointsFile(Router router, ServerThreads threads) {
    return new EndpointsFileWatcher(
        repository.resolve(EndpointsFileWatcher.FILE_NAME),
        router,
        threads.timer("endpoints-file"),
        config.pollInterval());
  }

  @Provides
  @Singleton
  StreamSettings streamSettings(ServerThreads threads) {
    return new StreamSettings(
        config.streamMaxInFlight(), config.streamStallTimeout(), threads.timer("stream-timers"));
  }
}
