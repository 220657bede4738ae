package dev.swinserve.bench.perfanalyzer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ClientSummaryTest {

  @Test
  void theLastMeasurementsRequestCountAndMeanAreRead() {
    String output =
        "Request concurrency: 1\n"
            + "  Client: \n"
            + "    Request count: 8\n"
            + "    Throughput: 0.709678 infer/sec\n"
            + "    Avg latency: 1288383 usec (standard deviation 685240 usec)\n"
            + "    p50 latency: 1298662 usec\n"
            + "Request concurrency: 2\n"
            + "  Client: \n"
            + "    Request count: 15\n"
            + "    Avg latency: 1300000 usec (standard deviation 1 usec)\n";

    ClientSummary summary = ClientSummary.parse(output);

    assertThat(summary.requests()).isEqualTo(OptionalLong.of(15));
    assertThat(summary.meanMicros()).isEqualTo(OptionalDouble.of(1_300_000));
  }

  @Test
  void anOutputWithoutThemGivesNeither() {
    ClientSummary summary = ClientSummary.parse("error: failed to get model config\n");

    assertThat(summary.requests()).isEmpty();
    assertThat(summary.meanMicros()).isEmpty();
  }
}
