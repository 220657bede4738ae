package dev.swinserve.converter.checkpoint;

/** Copies a strided view out of a storage's values into a new row-major array. */
final class StridedCopy {

  private StridedCopy() {}

  /**
   * The elements of {@code tensor} in row-major order.
   *
   * @param values storage elements from {@code first} on; they must cover the tensor's span ({@link
   *     TensorReference#storageOffset()} to {@link TensorReference#storageEnd()})
   * @param first the storage index of {@code values[0]}
   */
  static float[] rowMajor(float[] values, long first, TensorReference tensor) {
    int count = Math.toIntExact(tensor.elementCount());
    float[] out = new float[count];
    if (count == 0) {
      return out;
    }
    int start = Math.toIntExact(tensor.storageOffset() - first);
    if (tensor.isContiguous()) {
      System.arraycopy(values, start, out, 0, count);
      return out;
    }
    long[] size = tensor.size();
    long[] stride = tensor.stride();
    long[] index = new long[size.length];
    long position = start;
    for (int i = 0; i < count; i++) {
      out[i] = values[(int) position];
      // Advance the multi-index like an odometer: the last dimension fastest.
      for (int dimension = size.length - 1; dimension >= 0; dimension--) {
        index[dimension]++;
        position += stride[dimension];
        if (index[dimension] < size[dimension]) {
          break;
        }
        position -= stride[dimension] * size[dimension];
        index[dimension] = 0;
      }
    }
    return out;
  }
}
