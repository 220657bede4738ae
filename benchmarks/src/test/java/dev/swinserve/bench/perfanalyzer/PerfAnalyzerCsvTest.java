package dev.swinserve.bench.perfanalyzer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PerfAnalyzerCsvTest {

  /** The header perf_analyzer 2.50 writes for a service kind with server-side statistics. */
  private static final String TRITON_HEADER =
      "Concurrency,Inferences/Second,Client Send,Network+Server Send/Recv,Server Queue,"
          + "Server Compute Input,Server Compute Infer,Server Compute Output,Client Recv,"
          + "p50 latency,p90 latency,p95 latency,p99 latency,Avg latency,request/response,"
          + "response wait";

  @Test
  void columnsAreFoundByTheirHeader() {
    List<PerfAnalyzerCsv.Row> rows =
        PerfAnalyzerCsv.parse(
            TRITON_HEADER
                + "\n32,5.9,1200,30,0,0,0,0,15,5400123,6100000,6200000,6900000,5390000,0,0\n");

    assertThat(rows).hasSize(1);
    PerfAnalyzerCsv.Row row = rows.get(0);
    assertThat(row.concurrency()).isEqualTo(32);
    assertThat(row.inferencesPerSecond()).isEqualTo(5.9);
    assertThat(row.get(PerfAnalyzerCsv.P50)).isEqualTo(5400123);
    assertThat(row.get(PerfAnalyzerCsv.P99)).isEqualTo(6900000);
    assertThat(row.get(PerfAnalyzerCsv.MEAN)).isEqualTo(5390000);
    assertThat(row.columns()).containsKeys("Client Send", "response wait").hasSize(16);
  }

  @Test
  void fewerColumnsReadTheSameAndWhatFollowsABlankLineIsIgnored() {
    String csv =
        "Concurrency,Inferences/Second,Client Send,Client Recv,p50 latency,p90 latency,"
            + "p95 latency,p99 latency\n"
            + "1,170.5,2000,10,5800,6000,6100,7000\n"
            + "2,300.25,2100,10,6600,7000,7100,9000\n"
            + "\n"
            + "Server metrics\nsomething,else\n";

    List<PerfAnalyzerCsv.Row> rows = PerfAnalyzerCsv.parse(csv);

    assertThat(rows).extracting(PerfAnalyzerCsv.Row::concurrency).containsExactly(1, 2);
    assertThat(rows.get(1).inferencesPerSecond()).isEqualTo(300.25);
    assertThatThrownBy(() -> rows.get(0).get(PerfAnalyzerCsv.MEAN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no column 'Avg latency'")
        .hasMessageContaining("p99 latency");
  }

  @Test
  void aFileWithoutMeasurementsOrWithARaggedRowIsRefusedSayingWhy() {
    assertThatThrownBy(() -> PerfAnalyzerCsv.parse(TRITON_HEADER + "\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no measurement");
    assertThatThrownBy(() -> PerfAnalyzerCsv.parse("Concurrency,Inferences/Second\n1\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 cells for 2 columns");
  }
}
