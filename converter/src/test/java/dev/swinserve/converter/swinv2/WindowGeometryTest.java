package dev.swinserve.converter.swinv2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WindowGeometryTest {

  /** Reference: roll a grid by -shift on both axes, then cut windows, the way PyTorch code does. */
  private static int[] rollThenPartition(int resolution, int window, int shift) {
    int[][] grid = new int[resolution][resolution];
    for (int row = 0; row < resolution; row++) {
      for (int column = 0; column < resolution; column++) {
        grid[Math.floorMod(row - shift, resolution)][Math.floorMod(column - shift, resolution)] =
            row * resolution + column;
      }
    }
    int[] result = new int[resolution * resolution];
    int position = 0;
    for (int windowRow = 0; windowRow < resolution; windowRow += window) {
      for (int windowColumn = 0; windowColumn < resolution; windowColumn += window) {
        for (int row = 0; row < window; row++) {
          for (int column = 0; column < window; column++) {
            result[position++] = grid[windowRow + row][windowColumn + column];
          }
        }
      }
    }
    return result;
  }

  @Test
  void partitionMatchesRollThenWindowCut() {
    assertThat(WindowGeometry.windowPartition(8, 4, 2)).containsExactly(rollThenPartition(8, 4, 2));
    assertThat(WindowGeometry.windowPartition(12, 6, 3))
        .containsExactly(rollThenPartition(12, 6, 3));
    assertThat(WindowGeometry.windowPartition(8, 4, 0)).containsExactly(rollThenPartition(8, 4, 0));
  }

  @Test
  void inverseUndoesThePermutation() {
    int[] permutation = WindowGeometry.windowPartition(12, 6, 3);
    int[] inverse = WindowGeometry.inverse(permutation);
    for (int i = 0; i < permutation.length; i++) {
      assertThat(inverse[permutation[i]]).isEqualTo(i);
    }
  }

  @Test
  void patchMergingTakesEvenEvenOddEvenEvenOddOddOdd() {
    // 4x4 grid, first merged token gathers (0,0), (1,0), (0,1), (1,1).
    int[] merging = WindowGeometry.patchMerging(4);
    assertThat(Arrays.copyOf(merging, 4)).containsExactly(0, 4, 1, 5);
    assertThat(Arrays.copyOfRange(merging, 4, 8)).containsExactly(2, 6, 3, 7);
  }

  @Test
  void shiftMaskSeparatesRegionsOnlyInBorderWindows() {
    int resolution = 8;
    int window = 4;
    int tokens = window * window;
    float[] mask = WindowGeometry.shiftMask(resolution, window, 2);
    assertThat(mask).hasSize(4 * tokens * tokens);
    // The top-left window lies inside region 0: no masking at all.
    for (int i = 0; i < tokens * tokens; i++) {
      assertThat(mask[i]).isZero();
    }
    // In the bottom-right window, token 0 (region 4) and token 15 (region 8) are masked.
    int lastWindow = 3 * tokens * tokens;
    assertThat(mask[lastWindow + 15]).isEqualTo(WindowGeometry.MASK_VALUE);
    assertThat(mask[lastWindow]).isZero();
  }

  @Test
  void relativePositionIndexCoversTheTableSymmetrically() {
    int window = 3;
    int[] index = WindowGeometry.relativePositionIndex(window);
    int tokens = window * window;
    int centre = (2 * window - 1) * (window - 1) + (window - 1);
    for (int i = 0; i < tokens; i++) {
      assertThat(index[i * tokens + i]).as("offset (0,0)").isEqualTo(centre);
    }
    assertThat(Arrays.stream(index).max().getAsInt())
        .isEqualTo((2 * window - 1) * (2 * window - 1) - 1);
    assertThat(Arrays.stream(index).min().getAsInt()).isZero();
  }

  @Test
  void coordinatesTableIsLogSpacedAndNormalisedByThePretrainedWindow() {
    // Offset (w-1) normalised by (normaliser-1) = 1 -> 8 -> log2(9)/3.
    float[] table = WindowGeometry.relativeCoordinatesTable(4, 4);
    float expected = (float) (Math.log(9) / Math.log(2) / 3);
    int last = table.length - 2;
    assertThat(table[last]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(table[0]).isCloseTo(-expected, org.assertj.core.data.Offset.offset(1e-6f));
    // A pretrained window of 3 stretches the same offsets further: 3/2*8 = 12 -> log2(13)/3.
    float[] stretched = WindowGeometry.relativeCoordinatesTable(4, 3);
    assertThat(stretched[last])
        .isCloseTo(
            (float) (Math.log(13) / Math.log(2) / 3), org.assertj.core.data.Offset.offset(1e-6f));
  }
}
