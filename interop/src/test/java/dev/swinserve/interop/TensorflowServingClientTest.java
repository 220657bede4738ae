package dev.swinserve.interop;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TensorFlow Serving's Python API, {@code tensorflow-serving-api}, unchanged against {@code
 * swinserve serve}: every {@code test_tf_serving*.py}, one JUnit test per pytest case.
 */
@ExtendWith(InteropSessionExtension.class)
class TensorflowServingClientTest {

  @TestFactory
  Stream<DynamicTest> tensorflowServingApi(InteropSession session) throws Exception {
    return session.pytest("test_tf_serving*.py", "tensorflow-serving-api");
  }
}
