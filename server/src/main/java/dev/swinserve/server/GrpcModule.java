package dev.swinserve.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.grpc.ClassifierGrpcService;
import dev.swinserve.server.grpc.MetricsGrpcService;
import dev.swinserve.server.grpc.ModelServiceGrpcService;
import dev.swinserve.server.grpc.StreamResets;
import dev.swinserve.server.http.AuthorizingHttpService;
import dev.swinserve.server.http.HttpService;
import dev.swinserve.server.kserve.KserveGrpcService;
import dev.swinserve.server.kserve.KserveHttpService;
import dev.swinserve.server.security.AuthInterceptor;
import dev.swinserve.server.security.Authenticator;
import dev.swinserve.server.tfserving.ModelStatusGrpcService;
import dev.swinserve.server.tfserving.PredictionGrpcService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import jakarta.inject.Singleton;

/**
 * The gRPC services on whatever transport is bound as {@code ServerBuilder<?>}: Netty in production
 * ({@link NettyTransportModule}), in-process in tests. Also the HTTP front door's service, the Open
 * Inference Protocol's routes, which {@link dev.swinserve.server.http.ManagedHttpServer} serves
 * when {@code http.port} is set.
 */
public final class GrpcModule extends AbstractModule {

  /** The Open Inference Protocol's routes, behind the same authentication as the gRPC services. */
  @Provides
  @Singleton
  HttpService httpService(KserveHttpService routes, Authenticator authenticator) {
    return new AuthorizingHttpService(routes, authenticator);
  }

  @Provides
  @Singleton
  @SuppressWarnings("deprecation") // v1alpha reflection too: grpcurl and older tools ask for it
  Server server(
      ServerBuilder<?> builder,
      ClassifierGrpcService classifier,
      ModelServiceGrpcService models,
      MetricsGrpcService metrics,
      KserveGrpcService kserve,
      PredictionGrpcService prediction,
      ModelStatusGrpcService tensorFlowModels,
      HealthStatusManager health,
      ServerConfig config,
      AuthInterceptor auth) {
    builder
        .intercept(auth)
        .addStreamTracerFactory(new StreamResets())
        .addService(classifier)
        .addService(models)
        .addService(metrics)
        .addService(kserve)
        .addService(prediction)
        .addService(tensorFlowModels)
        .addService(health.getHealthService());
    if (config.reflection()) {
      builder
          .addService(ProtoReflectionServiceV1.newInstance())
          .addService(ProtoReflectionService.newInstance());
    }
    return builder.build();
  }
}
