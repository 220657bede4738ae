export { Client, type CallOptions, type StreamOptions } from "./client.js";
export {
  DEFAULTS,
  resolveConfig,
  type BreakerOptions,
  type ClientConfig,
  type ClientOptions,
  type Clock,
  type RetryOptions,
} from "./config.js";
export { Status, SwinserveError } from "./errors.js";
export { checkTls, tlsCredentials, type TlsOptions } from "./tls.js";
export type { ClassifyOptions, ImageInput, PixelImage } from "./images.js";
export type { StreamRequest } from "./reconnectingStream.js";
export type { BreakerSnapshot, BreakerState } from "./resilience/circuitBreaker.js";
export { PUSHBACK_KEY, readPushback } from "./resilience/pushback.js";
export type {
  ClassifyResponse,
  Classification,
  ClassScore,
  ResolvedModel,
} from "./gen/swinserve/v1/classifier_pb.js";
export type { ModelStatus, VersionStatus } from "./gen/swinserve/v1/model_service_pb.js";
export { VersionState } from "./gen/swinserve/v1/model_service_pb.js";
