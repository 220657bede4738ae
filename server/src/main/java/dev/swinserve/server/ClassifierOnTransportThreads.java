package dev.swinserve.server;

import com.google.common.util.concurrent.MoreExecutors;
import dev.swinserve.api.v1.ClassifierGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.concurrent.Executor;

/**
 * Runs Classifier calls on the transport thread that read them, saving a thread hand-off per
 * request. Safe because no Classifier handler blocks: decoding, batching and the model all run on
 * their own pools and answer through futures. Every other service (ModelService.ReloadRepository
 * waits for models to load) keeps gRPC's default executor.
 */
final class ClassifierOnTransportThreads implements ServerCallExecutorSupplier {

  @Override
  public <RequestT, ResponseT> Executor getExecutor(ServerCall<RequestT, ResponseT> call, Metadata metadata) {
    return ClassifierGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())
        ? MoreExecutors.directExecutor() : null;
  }
}
