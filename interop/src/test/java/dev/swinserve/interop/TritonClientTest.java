package dev.swinserve.interop;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Triton's Python client, {@code tritonclient}, unchanged against {@code swinserve serve}: every
 * {@code test_triton_*.py} beside the requirements (gRPC, HTTP, streaming, repository and
 * statistics), one JUnit test per pytest case.
 */
@ExtendWith(InteropSessionExtension.class)
class TritonClientTest {

  @TestFactory
  Stream<DynamicTest> tritonclient(InteropSession session) throws Exception {
    return session.pytest("test_triton_*.py", "tritonclient");
  }
}
