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
 *
 * <p>What does run on the Netty event loop is parsing each request message, and that holds up every
 * other connection served by the same loop. Measured (BENCHMARKS.md, "Parsing on the event loop";
 * {@code ClassifyRequestParseTiming}) at the default {@code max_inbound_message_bytes}, 64 MiB, in
 * CPU time of the parsing thread on a 2-core Xeon: 94 ms for one pixel tensor (207 MB allocated),
 * 31 ms for 64 encoded 1 MiB images, and 650 ms with 2 GB allocated for the worst case, 13 million
 * 1-byte images; the wall time adds waits for a core and for the collector. Documented rather than
 * bounded: requests of usual sizes (a 256x256 tensor is 0.75 MiB) parse in about a millisecond, the
 * cost grows linearly with the message size, and an operator bounds it with {@code
 * max_inbound_message_bytes}; moving the parse to another thread would cost every request the
 * hand-off this class saves. Refusing the worst case before it is parsed would take a marshaller
 * that counts the images on the wire first.
 */
final class ClassifierOnTransportThreads implements ServerCallExecutorSupplier {

  @Override
  public <RequestT, ResponseT> Executor getExecutor(
      ServerCall<RequestT, ResponseT> call, Metadata metadata) {
    return ClassifierGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())
        ? MoreExecutors.directExecutor()
        : null;
  }
}
