package dev.swinserve.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.server.classify.ClassificationRequest;
import dev.swinserve.server.classify.InvalidInputException;

/**
 * Fuzzes the proto → domain mapping of a {@code Classify} call: arbitrary bytes parsed as a {@link
 * ClassifyRequest}, then {@link ProtoMapping#request}. A request that does not parse is gRPC's own
 * refusal; one that parses may only be refused with {@link InvalidInputException}
 * (INVALID_ARGUMENT). Seeds and past findings: {@code ProtoMappingFuzzTestInputs/request} under
 * test resources.
 */
class ProtoMappingFuzzTest {

  @FuzzTest
  void request(byte[] message) {
    ClassifyRequest request;
    try {
      request = ClassifyRequest.parseFrom(message);
    } catch (InvalidProtocolBufferException notProtobuf) {
      return;
    }
    try {
      ClassificationRequest mapped =
          ProtoMapping.request(request, CallContext.of(io.grpc.Context.ROOT));
      assertThat(mapped.images()).hasSize(request.getImagesCount());
      assertThat(mapped.topK()).isPositive();
    } catch (InvalidInputException refused) {
      // documented: INVALID_ARGUMENT naming the field
    }
  }
}
