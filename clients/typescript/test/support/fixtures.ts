import { readFileSync } from "node:fs";
import type { PixelImage } from "../../src/index.js";

/** expected.json (clients/conformance/README.md): what the fixtures say the answers must be. */
export interface Expected {
  model: string;
  side: number;
  class_names: string[];
  parity_bar: number;
  reference: { pixels: TensorFile; logits: number[][] };
  images: { name: string; file: string; pixels: TensorFile }[];
}

export interface TensorFile {
  file: string;
  shape: number[];
}

export function readExpected(path: string): Expected {
  return JSON.parse(readFileSync(path, "utf8")) as Expected;
}

/** The images of an NHWC little-endian float32 file, one PixelImage per row. */
export function readPixelRows(tensor: TensorFile): PixelImage[] {
  const [rows, height, width, channels] = tensor.shape as [number, number, number, number];
  const bytes = readFileSync(tensor.file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const perRow = height * width * channels;
  if (bytes.byteLength !== rows * perRow * 4) {
    throw new Error(
      `${tensor.file}: ${bytes.byteLength} bytes, shape ${tensor.shape} needs ${rows * perRow * 4}`,
    );
  }
  return Array.from({ length: rows }, (_, row) => {
    const pixels = new Float32Array(perRow);
    for (let i = 0; i < perRow; i++) {
      pixels[i] = view.getFloat32((row * perRow + i) * 4, true);
    }
    return { pixels, height, width, channels };
  });
}

/** ‖out − ref‖ / ‖ref‖ in float64. */
export function relativeError(out: readonly number[], reference: readonly number[]): number {
  if (out.length !== reference.length) {
    return Infinity;
  }
  let difference = 0;
  let norm = 0;
  reference.forEach((value, i) => {
    difference += (out[i]! - value) ** 2;
    norm += value ** 2;
  });
  return Math.sqrt(difference) / Math.sqrt(norm);
}

export function argmax(values: readonly number[]): number {
  return values.reduce((best, value, i) => (value > values[best]! ? i : best), 0);
}

export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / sum);
}
