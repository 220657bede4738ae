package dev.swinserve.format.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor held on the Java heap, row-major. Immutable by convention: callers must
 * not write into {@link #data()} of a tensor they did not create.
 */
public record FloatTensor(long[] shape, float[] data) {

  public FloatTensor {
    long size = elementCount(shape);
    if (size != data.length) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " holds "
              + size
              + " elements, data has "
              + data.length);
    }
  }

  /** The number of elements a tensor of this shape holds. */
  public static long elementCount(long[] shape) {
    long size = 1;
    for (long dimension : shape) {
      if (dimension < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      size = Math.multiplyExact(size, dimension);
    }
    return size;
  }

  public int rank() {
    return shape.length;
  }

  public String shapeString() {
    return Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FloatTensor tensor
        && Arrays.equals(shape, tensor.shape)
        && Arrays.equals(data, tensor.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatTensor" + shapeString();
  }
}
