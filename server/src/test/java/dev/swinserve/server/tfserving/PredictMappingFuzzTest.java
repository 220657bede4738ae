package dev.swinserve.server.tfserving;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.swinserve.api.tfserving.PredictRequest;
import dev.swinserve.server.classify.ClassificationRequest;
import dev.swinserve.server.classify.InvalidInputException;
import dev.swinserve.server.grpc.CallContext;

/**
 * Fuzzes the proto → domain mapping of a {@code Predict} call: arbitrary bytes parsed as a {@link
 * PredictRequest}, then {@link PredictMapping#request}. A request that does not parse is gRPC's own
 * refusal; one that parses may only be refused with {@link InvalidInputException}
 * (INVALID_ARGUMENT), whatever shapes and value counts its tensors claim.
 */
class PredictMappingFuzzTest {

  @FuzzTest
  void request(byte[] message) {
    PredictRequest request;
    try {
      request = PredictRequest.parseFrom(message);
    } catch (InvalidProtocolBufferException notProtobuf) {
      return;
    }
    try {
      ClassificationRequest mapped =
          PredictMapping.request(request, CallContext.of(io.grpc.Context.ROOT));
      assertThat(mapped.images()).isNotEmpty();
      assertThat(mapped.includeLogits()).isTrue();
    } catch (InvalidInputException refused) {
      // documented: INVALID_ARGUMENT naming the input, field or limit
    }
  }
}
