package dev.swinserve.bench.load;

/** What each image of a request carries. */
public enum InputKind {
  /** The bytes of image files, so the server decodes and resizes them (the usual client). */
  ENCODED,
  /** A float32 tensor already at the model's size, so the server skips preprocessing. */
  PIXELS
}
