package dev.swinserve.server.grpc;

import com.google.protobuf.Any;
import dev.swinserve.api.v1.UnansweredRequests;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The status that ends a ClassifyStream, with the ids of the requests it read but will not answer
 * in its details ({@link UnansweredRequests}, in {@code grpc-status-details-bin}), so that any
 * client can resend them. The listed ids are bounded so the trailers stay small.
 */
final class UnansweredStatus {

  /** Request ids listed at most, in UTF-8 bytes together; the rest are only counted. */
  static final int MAX_LISTED_BYTES = 4096;

  private UnansweredStatus() {}

  /** {@code status} as an exception, with {@code requestIds} in its details when there are any. */
  static StatusRuntimeException withUnanswered(Status status, List<String> requestIds) {
    if (requestIds.isEmpty()) {
      return status.asRuntimeException();
    }
    UnansweredRequests.Builder unanswered = UnansweredRequests.newBuilder();
    int bytes = 0;
    for (String requestId : requestIds) {
      bytes += requestId.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_LISTED_BYTES) {
        unanswered.setNotListed(requestIds.size() - unanswered.getRequestIdsCount());
        break;
      }
      unanswered.addRequestIds(requestId);
    }
    com.google.rpc.Status details =
        com.google.rpc.Status.newBuilder()
            .setCode(status.getCode().value())
            .setMessage(status.getDescription() == null ? "" : status.getDescription())
            .addDetails(Any.pack(unanswered.build()))
            .build();
    return StatusProto.toStatusRuntimeException(details);
  }
}
