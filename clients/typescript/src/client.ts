import { performance } from "node:perf_hooks";
import { resolveConfig, type ClientConfig, type ClientOptions } from "./config.js";
import { Deadline } from "./deadline.js";
import { Endpoints } from "./endpoints.js";
import { Classifier, type ClassifyResponse } from "./gen/swinserve/v1/classifier_pb.js";
import { Health, HealthCheckResponse_ServingStatus } from "./gen/grpc/health/v1/health_pb.js";
import { ModelService, type ModelStatus } from "./gen/swinserve/v1/model_service_pb.js";
import { toClassifyRequest, type ClassifyOptions, type ImageInput } from "./images.js";
import type { BreakerSnapshot } from "./resilience/circuitBreaker.js";
import { Resilience } from "./resilience/resilience.js";
import { ReconnectingStream, type StreamRequest } from "./reconnectingStream.js";
import { unary } from "./rpc.js";
import { parseTarget } from "./target.js";
import { tlsCredentials } from "./tls.js";

export interface CallOptions {
  /** This call's deadline, spanning its retries; default: the client's defaultDeadlineMs. */
  deadlineMs?: number;
}

export interface StreamOptions extends CallOptions {
  /** The most requests unanswered (or answered and not yet read) at once. */
  maxInFlight: number;
}

/**
 * A resilient client of swinserve (the Java SwinserveClient's semantics). Every call has a
 * deadline that spans its retries and is sent to the server; unary calls are retried, broken and
 * bulkheaded per endpoint as `Resilience` composes them; streams reconnect and resend within the
 * same settings. Failures are SwinserveErrors whose `code` is the gRPC status: the server's, or
 * UNAVAILABLE when an open breaker refused the call, RESOURCE_EXHAUSTED when the bulkhead was
 * full. The client owns its channels: close() it when done.
 */
export class Client {
  readonly config: ClientConfig;
  private readonly resilience: Resilience;
  private readonly endpoints: Endpoints;

  /**
   * @param target `host:port`, a static list `host1:port1,host2:port2` (an endpoint per entry:
   *   its own channel, breaker and bulkhead, used round robin), or any other gRPC target (one
   *   channel)
   * @throws RangeError or TypeError for an option out of range or a blank target; Error when a
   *   TLS file cannot be read or is not usable PEM
   */
  constructor(target: string, options: ClientOptions = {}) {
    this.config = resolveConfig(options);
    this.resilience = new Resilience(
      this.config,
      options.clock ?? performance,
      options.random ?? Math.random,
      options.onBreakerStateChange,
    );
    this.endpoints = new Endpoints(
      parseTarget(target),
      options.credentials ?? tlsCredentials(this.config.tls),
      options.channelOptions ?? {},
      this.resilience,
    );
  }

  /** Classifies `images` (paths, encoded bytes or pixels) with one unary call. */
  async classify(
    images: readonly ImageInput[] | ImageInput,
    options: ClassifyOptions & CallOptions,
  ): Promise<ClassifyResponse> {
    const { deadlineMs, ...classifyOptions } = options;
    const request = await toClassifyRequest(images, classifyOptions);
    const deadline = this.deadline(deadlineMs);
    return this.resilience.execute(
      () => this.endpoints.pick().guard,
      (guard) => unary(this.endpoints.of(guard).channel, Classifier.method.classify, request, deadline),
      deadline,
    );
  }

  /**
   * Streams `requests` over ClassifyStream, yielding each answer once, in the order the server
   * sends them (pair them by requestId, which must be unique; generated when absent). The
   * deadline covers the whole stream, reconnections included. Breaking out of the loop cancels it.
   */
  classifyStream(
    requests: Iterable<StreamRequest> | AsyncIterable<StreamRequest>,
    options: StreamOptions,
  ): AsyncIterable<ClassifyResponse> {
    return new ReconnectingStream(
      requests,
      options.maxInFlight,
      () => this.endpoints.pick(),
      this.deadline(options.deadlineMs),
      this.resilience,
    );
  }

  /** Every model the server's repository holds, with its versions' states and labels. */
  async models(options: CallOptions = {}): Promise<ModelStatus[]> {
    const answer = await unary(
      this.first(),
      ModelService.method.listModels,
      {},
      this.deadline(options.deadlineMs),
    );
    return answer.models;
  }

  /** Points `label` of `model` at `version`; returns the model's status after. */
  setLabel(
    model: string,
    label: string,
    version: number | bigint,
    options: CallOptions = {},
  ): Promise<ModelStatus> {
    return unary(
      this.first(),
      ModelService.method.setLabel,
      { model, label, version: BigInt(version) },
      this.deadline(options.deadlineMs),
    );
  }

  /**
   * The standard gRPC health check of `service` ("" for the whole server): "SERVING",
   * "NOT_SERVING", "SERVICE_UNKNOWN" or "UNKNOWN".
   */
  async health(service = "", options: CallOptions = {}): Promise<string> {
    const answer = await unary(
      this.first(),
      Health.method.check,
      { service },
      this.deadline(options.deadlineMs),
    );
    return HealthCheckResponse_ServingStatus[answer.status] ?? String(answer.status);
  }

  /** Every endpoint's breaker now, in target order. */
  breakers(): BreakerSnapshot[] {
    return this.endpoints.all.map((endpoint) => endpoint.guard.breaker.snapshot());
  }

  /** Tokens left in the retry budget. */
  retryTokens(): number {
    return this.resilience.budget.tokens;
  }

  /** Closes every channel and ends pending retry waits (calls in flight fail CANCELLED). */
  close(): void {
    this.resilience.close();
    this.endpoints.close();
  }

  /** Administrative calls go to an endpoint picked as a classify is, without retries. */
  private first() {
    return this.endpoints.pick().channel;
  }

  private deadline(deadlineMs: number | undefined): Deadline {
    const millis = deadlineMs ?? this.config.defaultDeadlineMs;
    if (!(millis > 0)) {
      throw new RangeError(`deadlineMs must be positive, was ${millis}`);
    }
    return Deadline.after(millis);
  }
}
