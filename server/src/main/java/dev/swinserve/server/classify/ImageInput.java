package dev.swinserve.server.classify;

/** One image of a request: an encoded file, or a tensor the client already preprocessed. */
public sealed interface ImageInput {

  /** JPEG, PNG, GIF or BMP bytes as read from disk. */
  record Encoded(byte[] bytes) implements ImageInput {}

  /** float32 {@code [height, width, channels]}, row-major, normalised the way the model expects. */
  record Pixels(int height, int width, int channels, float[] values) implements ImageInput {}
}
