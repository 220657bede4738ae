package dev.swinserve.converter.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.swinserve.format.tensor.TensorFormatException;

/**
 * Fuzzes the pickle machine with PyTorch's allowlist on arbitrary programs. Only {@link
 * TensorFormatException} may escape; a crash, a stack overflow, a hang or an allocation that a few
 * bytes can make huge (a string claiming gigabytes, say) is a finding. Seeds and past findings:
 * {@code PickleReaderFuzzTestInputs/program} under test resources.
 */
class PickleReaderFuzzTest {

  @FuzzTest
  void program(byte[] program) {
    try {
      Object value = PickleReader.read("fuzz.pkl", program, new TorchPickleEnvironment());
      PickleValues.describe(value);
    } catch (TensorFormatException refused) {
      // documented: names the program, the byte position and the problem
    }
  }
}
