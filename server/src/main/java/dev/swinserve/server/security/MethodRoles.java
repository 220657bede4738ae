package dev.swinserve.server.security;

import dev.swinserve.api.kserve.GRPCInferenceServiceGrpc;
import dev.swinserve.api.tfserving.PredictionServiceGrpc;
import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.MetricsServiceGrpc;
import dev.swinserve.api.v1.ModelServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthGrpc;
import java.util.HashMap;
import java.util.Map;

/**
 * The role each gRPC method needs. Listed method by method; a method not listed (one added later
 * and forgotten here) needs ADMIN, so a new method is closed until someone opens it.
 */
public final class MethodRoles {

  private static final Map<String, Role> ROLES = new HashMap<>();

  static {
    needs(Role.NONE, HealthGrpc.getCheckMethod(), HealthGrpc.getWatchMethod());
    needs(
        Role.NONE,
        GRPCInferenceServiceGrpc.getServerLiveMethod(),
        GRPCInferenceServiceGrpc.getServerReadyMethod());

    needs(Role.INFER, ClassifierGrpc.getClassifyMethod(), ClassifierGrpc.getClassifyStreamMethod());
    needs(
        Role.INFER,
        GRPCInferenceServiceGrpc.getModelInferMethod(),
        GRPCInferenceServiceGrpc.getModelStreamInferMethod());
    needs(Role.INFER, PredictionServiceGrpc.getPredictMethod());

    needs(
        Role.READ,
        ModelServiceGrpc.getListModelsMethod(),
        ModelServiceGrpc.getGetModelStatusMethod(),
        ModelServiceGrpc.getGetEndpointMethod(),
        ModelServiceGrpc.getListEndpointsMethod(),
        MetricsServiceGrpc.getGetMetricsMethod(), // with reset: ADMIN (AuthInterceptor)
        GRPCInferenceServiceGrpc.getModelReadyMethod(),
        GRPCInferenceServiceGrpc.getServerMetadataMethod(),
        GRPCInferenceServiceGrpc.getModelMetadataMethod(),
        GRPCInferenceServiceGrpc.getModelConfigMethod(),
        GRPCInferenceServiceGrpc.getModelStatisticsMethod(),
        GRPCInferenceServiceGrpc.getRepositoryIndexMethod(),
        PredictionServiceGrpc.getGetModelMetadataMethod(),
        dev.swinserve.api.tfserving.ModelServiceGrpc.getGetModelStatusMethod());
    ROLES.put("grpc.reflection.v1.ServerReflection/ServerReflectionInfo", Role.READ);
    ROLES.put("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", Role.READ);

    needs(
        Role.ADMIN,
        ModelServiceGrpc.getSetLabelMethod(),
        ModelServiceGrpc.getRemoveLabelMethod(),
        ModelServiceGrpc.getReloadRepositoryMethod(),
        ModelServiceGrpc.getSetEndpointMethod(),
        ModelServiceGrpc.getDeleteEndpointMethod(),
        GRPCInferenceServiceGrpc.getRepositoryModelLoadMethod(),
        GRPCInferenceServiceGrpc.getRepositoryModelUnloadMethod());
  }

  private MethodRoles() {}

  /** The role {@code fullMethodName} ({@code package.Service/Method}) needs. */
  public static Role of(String fullMethodName) {
    return ROLES.getOrDefault(fullMethodName, Role.ADMIN);
  }

  /** Whether {@code fullMethodName} is listed, rather than falling to the default (ADMIN). */
  public static boolean listed(String fullMethodName) {
    return ROLES.containsKey(fullMethodName);
  }

  private static void needs(Role role, MethodDescriptor<?, ?>... methods) {
    for (MethodDescriptor<?, ?> method : methods) {
      ROLES.put(method.getFullMethodName(), role);
    }
  }
}
