package dev.swinserve.server.routing;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link EndpointsFileReader} on arbitrary {@code endpoints.yaml} text. Its documented
 * failure is {@link InvalidEndpointException} naming where the problem is; anything else escaping
 * is a finding. Seeds and past findings: {@code EndpointsFileReaderFuzzTestInputs/parse} under test
 * resources.
 */
class EndpointsFileReaderFuzzTest {

  @FuzzTest
  void parse(byte[] contents) {
    try {
      EndpointsFileReader.parse(new String(contents, StandardCharsets.UTF_8));
    } catch (InvalidEndpointException refused) {
      // documented
    }
  }
}
