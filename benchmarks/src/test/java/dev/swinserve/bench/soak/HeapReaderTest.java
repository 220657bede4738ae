package dev.swinserve.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HeapReaderTest {

  @Test
  void readsTheCommittedHeapOfG1AndSumsTheGenerationsOfParallel() {
    String g1 =
        """
        4711:
         garbage-first heap   total 397312K, used 17946K [0x0000000687400000, 0x0000000800000000)
          region size 4096K, 4 young (16384K), 0 survivors (0K)
         Metaspace       used 8919K, committed 9088K, reserved 1114112K
          class space    used 1062K, committed 1152K, reserved 1048576K
        """;
    String parallel =
        """
        4712:
         PSYoungGen      total 76288K, used 3932K [0x00000007aab00000, 0x00000007b0000000, 0x0000000800000000)
         ParOldGen       total 175104K, used 0K [0x0000000700000000, 0x000000070ab00000, 0x00000007aab00000)
         Metaspace       used 6436K, committed 6656K, reserved 1056768K
        """;

    assertThat(HeapReader.committedBytes(g1)).isEqualTo(OptionalLong.of(397312L * 1024));
    assertThat(HeapReader.committedBytes(parallel))
        .isEqualTo(OptionalLong.of((76288L + 175104L) * 1024));
    assertThat(HeapReader.committedBytes("4713:\nNo such process\n"))
        .isEqualTo(OptionalLong.empty());
  }
}
