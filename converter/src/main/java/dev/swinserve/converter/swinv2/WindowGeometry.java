package dev.swinserve.converter.swinv2;

/**
 * Index arithmetic of SwinV2's windows, computed once in Java and baked into the graph as constants
 * (the "buffers" of the reference implementation, which checkpoints need not carry).
 *
 * <p>Tokens are numbered row-major over a {@code resolution x resolution} grid. A cyclic shift
 * followed by window partition is one permutation of the tokens; so is its inverse (window reverse
 * then shift back); so is patch merging's gathering of 2x2 neighbourhoods. Each becomes one gather.
 */
public final class WindowGeometry {

  /** The additive mask value between tokens of different regions in a shifted window. */
  public static final float MASK_VALUE = -100f;

  private WindowGeometry() {}

  /**
   * For each position of the windowed sequence (window-major, then row-major inside a window), the
   * source token: the grid is rolled by {@code -shift} on both axes first, like {@code torch.roll}.
   */
  public static int[] windowPartition(int resolution, int window, int shift) {
    int perSide = resolution / window;
    int[] source = new int[resolution * resolution];
    int position = 0;
    for (int windowRow = 0; windowRow < perSide; windowRow++) {
      for (int windowColumn = 0; windowColumn < perSide; windowColumn++) {
        for (int row = 0; row < window; row++) {
          for (int column = 0; column < window; column++) {
            int sourceRow = (windowRow * window + row + shift) % resolution;
            int sourceColumn = (windowColumn * window + column + shift) % resolution;
            source[position++] = sourceRow * resolution + sourceColumn;
          }
        }
      }
    }
    return source;
  }

  /** The inverse permutation: {@code inverse[permutation[i]] == i}. */
  public static int[] inverse(int[] permutation) {
    int[] inverse = new int[permutation.length];
    for (int i = 0; i < permutation.length; i++) {
      inverse[permutation[i]] = i;
    }
    return inverse;
  }

  /**
   * Patch merging's gather: for each merged token (row-major over the half-size grid) its four
   * sources in the reference order x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2].
   */
  public static int[] patchMerging(int resolution) {
    int half = resolution / 2;
    int[] source = new int[resolution * resolution];
    int position = 0;
    int[][] offsets = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
    for (int row = 0; row < half; row++) {
      for (int column = 0; column < half; column++) {
        for (int[] offset : offsets) {
          source[position++] = (2 * row + offset[0]) * resolution + 2 * column + offset[1];
        }
      }
    }
    return source;
  }

  /**
   * The shifted-window attention mask, {@code [windows, tokens, tokens]} flattened: 0 between
   * tokens of the same region of the rolled grid, {@link #MASK_VALUE} otherwise.
   */
  public static float[] shiftMask(int resolution, int window, int shift) {
    int[] region = new int[resolution * resolution];
    for (int row = 0; row < resolution; row++) {
      for (int column = 0; column < resolution; column++) {
        region[row * resolution + column] =
            3 * band(row, resolution, window, shift) + band(column, resolution, window, shift);
      }
    }
    // Regions are labelled on the rolled grid, so index them by windowed position directly.
    int[] windowed = windowPartition(resolution, window, 0);
    int tokens = window * window;
    int windows = region.length / tokens;
    float[] mask = new float[windows * tokens * tokens];
    for (int w = 0; w < windows; w++) {
      for (int i = 0; i < tokens; i++) {
        int regionI = region[windowed[w * tokens + i]];
        for (int j = 0; j < tokens; j++) {
          int regionJ = region[windowed[w * tokens + j]];
          mask[(w * tokens + i) * tokens + j] = regionI == regionJ ? 0f : MASK_VALUE;
        }
      }
    }
    return mask;
  }

  /** The reference's slices (0, -window), (-window, -shift), (-shift, end) as band 0, 1, 2. */
  private static int band(int coordinate, int resolution, int window, int shift) {
    if (coordinate < resolution - window) {
      return 0;
    }
    return coordinate < resolution - shift ? 1 : 2;
  }

  /**
   * Continuous position bias inputs, {@code [(2w-1)^2, 2]} flattened: relative offsets (dy, dx) in
   * -(w-1)..(w-1), divided by {@code normaliser - 1}, times 8, then sign(x)·log2(|x|+1)/log2(8).
   */
  public static float[] relativeCoordinatesTable(int window, int normaliser) {
    int side = 2 * window - 1;
    float[] table = new float[side * side * 2];
    for (int row = 0; row < side; row++) {
      for (int column = 0; column < side; column++) {
        int index = (row * side + column) * 2;
        table[index] = logSpaced(row - (window - 1), normaliser);
        table[index + 1] = logSpaced(column - (window - 1), normaliser);
      }
    }
    return table;
  }

  /** Float arithmetic as in the reference, so table values agree bit for bit where possible. */
  private static float logSpaced(int offset, int normaliser) {
    float scaled = (float) offset / (float) (normaliser - 1) * 8f;
    double magnitude = Math.log(Math.abs(scaled) + 1.0) / Math.log(2.0) / 3.0;
    return (float) (Math.signum(scaled) * magnitude);
  }

  /**
   * For each pair (i, j) of tokens in a window, {@code [w*w * w*w]} flattened, the row of the
   * coordinates table holding their relative offset.
   */
  public static int[] relativePositionIndex(int window) {
    int tokens = window * window;
    int side = 2 * window - 1;
    int[] index = new int[tokens * tokens];
    for (int i = 0; i < tokens; i++) {
      for (int j = 0; j < tokens; j++) {
        int dy = i / window - j / window + window - 1;
        int dx = i % window - j % window + window - 1;
        index[i * tokens + j] = dy * side + dx;
      }
    }
    return index;
  }
}
