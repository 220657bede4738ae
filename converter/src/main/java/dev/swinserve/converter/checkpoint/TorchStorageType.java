package dev.swinserve.converter.checkpoint;

import dev.swinserve.format.tensor.FloatWidening;
import java.util.Optional;

/**
 * The typed storage classes ({@code torch.FloatStorage}, ...) that torch.save names in a tensor's
 * persistent id; the storage's class is the tensor's dtype. All are known so that an unsupported
 * dtype is reported by name; only the float ones can be read.
 */
enum TorchStorageType {
  FLOAT("FloatStorage", "float32", 4, FloatWidening.SourceType.F32),
  HALF("HalfStorage", "float16", 2, FloatWidening.SourceType.F16),
  BFLOAT16("BFloat16Storage", "bfloat16", 2, FloatWidening.SourceType.BF16),
  DOUBLE("DoubleStorage", "float64", 8, null),
  LONG("LongStorage", "int64", 8, null),
  INT("IntStorage", "int32", 4, null),
  SHORT("ShortStorage", "int16", 2, null),
  CHAR("CharStorage", "int8", 1, null),
  BYTE("ByteStorage", "uint8", 1, null),
  BOOL("BoolStorage", "bool", 1, null),
  COMPLEX_FLOAT("ComplexFloatStorage", "complex64", 8, null),
  COMPLEX_DOUBLE("ComplexDoubleStorage", "complex128", 16, null),
  QUANTIZED_INT8("QInt8Storage", "qint8", 1, null),
  QUANTIZED_UINT8("QUInt8Storage", "quint8", 1, null),
  QUANTIZED_INT32("QInt32Storage", "qint32", 4, null);

  private final String className;
  private final String dtype;
  private final int bytesPerElement;
  private final FloatWidening.SourceType widening;

  TorchStorageType(
      String className, String dtype, int bytesPerElement, FloatWidening.SourceType widening) {
    this.className = className;
    this.dtype = dtype;
    this.bytesPerElement = bytesPerElement;
    this.widening = widening;
  }

  /** The type whose class is {@code torch.<className>}, if any. */
  static Optional<TorchStorageType> forClassName(String className) {
    for (TorchStorageType type : values()) {
      if (type.className.equals(className)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** {@code torch.FloatStorage}, as the pickle names it. */
  String qualifiedName() {
    return "torch." + className;
  }

  /** The PyTorch dtype, {@code float32}, {@code int64}, ... */
  String dtype() {
    return dtype;
  }

  int bytesPerElement() {
    return bytesPerElement;
  }

  /** How to widen the storage's bytes to float32; empty for dtypes that are not read. */
  Optional<FloatWidening.SourceType> widening() {
    return Optional.ofNullable(widening);
  }

  @Override
  public String toString() {
    return dtype + " (" + qualifiedName() + ")";
  }
}
