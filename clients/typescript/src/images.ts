import { readFile } from "node:fs/promises";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ClassifyRequestSchema, ImageSchema } from "./gen/swinserve/v1/classifier_pb.js";

/** A preprocessed image: float32 values, row-major [height, width, channels]. */
export interface PixelImage {
  pixels: Float32Array | readonly number[];
  height: number;
  width: number;
  /** Default 3 (the only value the server takes). */
  channels?: number;
}

/**
 * An image to classify: a file path (read by the client), the encoded bytes of a JPEG, PNG, GIF
 * or BMP file (a Buffer or Uint8Array), or preprocessed pixels.
 */
export type ImageInput = string | Uint8Array | PixelImage;

/** Which model answers, and how; the fields of ClassifyRequest. */
export interface ClassifyOptions {
  model: string;
  /** A version of the model; not with `label`. */
  version?: number | bigint;
  /** A label of the model such as "stable"; not with `version`. */
  label?: string;
  /** Classes per image, best first; 0 or absent means the server's 5. */
  topK?: number;
  /** Also return every class's logit. */
  includeLogits?: boolean;
  /** Echoed in the response; on a stream it pairs answers with requests (generated if absent). */
  requestId?: string;
  /** When `model` is an endpoint: requests with the same key get the same arm. */
  routingKey?: string;
}

type RequestInit = MessageInitShape<typeof ClassifyRequestSchema>;
type ImageInit = MessageInitShape<typeof ImageSchema>;

/**
 * The ClassifyRequest for `images` with `options`.
 * @throws TypeError for no image, an image of no known form, pixels that do not fill
 *   height × width × channels, or both a version and a label
 */
export async function toClassifyRequest(
  images: readonly ImageInput[] | ImageInput,
  options: ClassifyOptions,
): Promise<RequestInit> {
  const list = Array.isArray(images) ? (images as readonly ImageInput[]) : [images as ImageInput];
  if (list.length === 0) {
    throw new TypeError("classify needs at least one image");
  }
  if (typeof options?.model !== "string" || options.model === "") {
    throw new TypeError("options.model must name a model");
  }
  if (options.version !== undefined && options.label !== undefined) {
    throw new TypeError("give a version or a label, not both");
  }
  return {
    model: {
      name: options.model,
      versionChoice:
        options.version !== undefined
          ? { case: "version", value: BigInt(options.version) }
          : options.label !== undefined
            ? { case: "label", value: options.label }
            : { case: undefined },
    },
    images: await Promise.all(list.map(toImage)),
    topK: options.topK ?? 0,
    includeLogits: options.includeLogits ?? false,
    requestId: options.requestId ?? "",
    routingKey: options.routingKey ?? "",
  };
}

async function toImage(image: ImageInput, index: number): Promise<ImageInit> {
  if (typeof image === "string") {
    return { data: { case: "encoded", value: await readFile(image) } };
  }
  if (image instanceof Uint8Array) {
    return { data: { case: "encoded", value: image } };
  }
  if (image !== null && typeof image === "object" && "pixels" in image) {
    const channels = image.channels ?? 3;
    const { height, width, pixels } = image;
    for (const [name, value] of [
      ["height", height],
      ["width", width],
      ["channels", channels],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new TypeError(`image ${index}: ${name} must be a positive integer, was ${value}`);
      }
    }
    if (pixels.length !== height * width * channels) {
      throw new TypeError(
        `image ${index}: ${pixels.length} values do not fill ${height} × ${width} × ${channels}`,
      );
    }
    return { data: { case: "pixels", value: { height, width, channels, values: Array.from(pixels) } } };
  }
  throw new TypeError(`image ${index}: expected a file path, encoded bytes or {pixels, height, width}`);
}
