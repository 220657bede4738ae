import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { status as GrpcStatus, type ClientDuplexStream, type StatusObject } from "@grpc/grpc-js";
import type { Deadline } from "./deadline.js";
import type { Endpoint } from "./endpoints.js";
import { Status, SwinserveError, asSwinserveError } from "./errors.js";
import {
  Classifier,
  ClassifyRequestSchema,
  type ClassifyRequest,
  type ClassifyResponse,
} from "./gen/swinserve/v1/classifier_pb.js";
import { toClassifyRequest, type ClassifyOptions, type ImageInput } from "./images.js";
import type { BreakerPermit } from "./resilience/guard.js";
import type { Resilience } from "./resilience/resilience.js";
import { bidi } from "./rpc.js";

/** One request of a stream: its images and the same options a unary classify takes. */
export interface StreamRequest extends ClassifyOptions {
  images: readonly ImageInput[] | ImageInput;
}

/** One stream over the transport. */
interface Attempt {
  call: ClientDuplexStream<ClassifyRequest, ClassifyResponse>;
  permit: BreakerPermit;
  /** Unanswered requests to send before new ones. */
  toResend: ClassifyRequest[];
  writable: boolean;
  halfClosed: boolean;
  ended: boolean;
  readEnded: boolean;
  status: StatusObject | undefined;
}

/**
 * A ClassifyStream that outlives broken streams (the Java client's ReconnectingStream). Requests
 * go out only while fewer than `maxInFlight` are unanswered or answered but not yet taken by the
 * caller, and only while the transport takes them (`write` returning false waits for 'drain'), so
 * the source is read no faster than the caller reads answers. Every unanswered request is kept by
 * its request_id; when the stream breaks with a retryable status, or the server ends it with
 * requests unanswered, a new stream is opened after a backoff (within the retry budget,
 * `maxAttempts - 1` reconnections without an answer between, and the stream's deadline) and the
 * unanswered requests are sent again. An answer is delivered only while its request is
 * unanswered, so none twice and none lost. Each stream asks its endpoint's breaker first and
 * reports to it once: its first answer or a normal end is a success, a break before any answer is
 * judged as a unary failure is.
 */
export class ReconnectingStream implements AsyncIterable<ClassifyResponse> {
  private readonly source: Iterator<StreamRequest> | AsyncIterator<StreamRequest>;
  private readonly unanswered = new Map<string, ClassifyRequest>();
  private readonly outbox: ClassifyResponse[] = [];
  private readonly idPrefix = randomUUID().slice(0, 8);
  private attempt: Attempt | undefined;
  private failedInARow = 0;
  private generatedIds = 0;
  private reading = false;
  private inputDone = false;
  private started = false;
  private finished = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    requests: Iterable<StreamRequest> | AsyncIterable<StreamRequest>,
    private readonly maxInFlight: number,
    private readonly pick: () => Endpoint,
    private readonly deadline: Deadline,
    private readonly resilience: Resilience,
  ) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be an integer of at least 1, was ${maxInFlight}`);
    }
    const asyncSource = (requests as AsyncIterable<StreamRequest>)[Symbol.asyncIterator];
    this.source = asyncSource
      ? asyncSource.call(requests)
      : (requests as Iterable<StreamRequest>)[Symbol.iterator]();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ClassifyResponse, void, undefined> {
    if (this.started) {
      throw new Error("a classify stream can be iterated only once");
    }
    this.started = true;
    this.resilience.budget.recordCall();
    this.open(false);
    try {
      for (;;) {
        const answer = this.outbox.shift();
        if (answer !== undefined) {
          this.pump();
          yield answer;
          continue;
        }
        if (this.finished) {
          if (this.failure !== undefined) {
            throw this.failure;
          }
          return;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      this.finish(new SwinserveError(Status.CANCELLED, "the caller stopped reading the stream"));
    }
  }

  /** Starts a stream on an endpoint whose breaker admits it, resending every unanswered request. */
  private open(reconnection: boolean): void {
    if (this.finished) {
      return;
    }
    const endpoint = this.pick();
    let permit: BreakerPermit;
    try {
      permit = endpoint.guard.acquire();
    } catch (refused) {
      const cause = asSwinserveError(refused);
      if (reconnection) {
        this.broken(cause);
      } else {
        this.finish(cause);
      }
      return;
    }
    const attempt: Attempt = {
      call: bidi(endpoint.channel, Classifier.method.classifyStream, this.deadline),
      permit,
      toResend: [...this.unanswered.values()],
      writable: true,
      halfClosed: false,
      ended: false,
      readEnded: false,
      status: undefined,
    };
    this.attempt = attempt;
    const call = attempt.call;
    call.on("data", (answer: ClassifyResponse) => this.onAnswer(attempt, answer));
    call.on("error", () => {}); // the 'status' event reports it
    call.on("status", (status: StatusObject) => {
      attempt.status = status;
      // A failure ends the attempt at once; a normal end waits until every answer was read.
      if (status.code !== GrpcStatus.OK || attempt.readEnded) {
        this.onEnd(attempt, status);
      }
    });
    call.on("end", () => {
      attempt.readEnded = true;
      if (attempt.status !== undefined) {
        this.onEnd(attempt, attempt.status);
      }
    });
    call.on("drain", () => {
      attempt.writable = true;
      this.pump();
    });
    this.pump();
  }

  private onAnswer(attempt: Attempt, answer: ClassifyResponse): void {
    attempt.permit.succeeded();
    if (attempt !== this.attempt || this.finished || !this.unanswered.delete(answer.requestId)) {
      return; // superseded, or already delivered (a duplicate after a reconnection)
    }
    this.failedInARow = 0;
    this.outbox.push(answer);
    this.wakeCaller();
  }

  private onEnd(attempt: Attempt, status: StatusObject): void {
    if (attempt.ended) {
      return;
    }
    attempt.ended = true;
    if (status.code === GrpcStatus.OK) {
      attempt.permit.succeeded();
    } else {
      attempt.permit.failed(new SwinserveError(status.code, status.details, { metadata: status.metadata }));
    }
    if (attempt !== this.attempt || this.finished) {
      return;
    }
    if (status.code !== GrpcStatus.OK) {
      this.broken(new SwinserveError(status.code, status.details, { metadata: status.metadata }));
    } else if (this.unanswered.size === 0 && this.inputDone) {
      this.finish(undefined);
    } else {
      this.broken(
        new SwinserveError(
          Status.UNAVAILABLE,
          `server ended the stream with ${this.unanswered.size} request(s) unanswered`,
        ),
      );
    }
  }

  /** The stream ended short, or a reconnection was refused: reconnect if allowed, else fail. */
  private broken(cause: SwinserveError): void {
    const wait = this.resilience.reconnectWait(cause, this.failedInARow, this.deadline);
    if (wait === undefined) {
      this.finish(cause);
      return;
    }
    this.failedInARow++;
    this.attempt = undefined;
    this.resilience.scheduler.sleep(wait).then(
      () => this.open(true),
      () => this.finish(cause),
    );
  }

  /** Ends the whole stream (failure undefined: every request answered), cancelling what is open. */
  private finish(failure: Error | undefined): void {
    if (this.finished) {
      return;
    }
    this.finished = true;
    this.failure = failure;
    const attempt = this.attempt;
    if (attempt !== undefined && !attempt.ended) {
      attempt.call.cancel();
    }
    if (failure !== undefined && !this.inputDone) {
      void Promise.resolve(this.source.return?.()).catch(() => {});
    }
    this.wakeCaller();
  }

  /** Sends what flow control allows: first the requests to resend, then new ones. */
  private pump(): void {
    const attempt = this.attempt;
    while (
      attempt !== undefined &&
      attempt === this.attempt &&
      !this.finished &&
      !attempt.ended &&
      !attempt.halfClosed
    ) {
      if (attempt.toResend.length > 0) {
        if (!attempt.writable) {
          return;
        }
        const again = attempt.toResend.shift()!;
        if (this.unanswered.has(again.requestId)) {
          attempt.writable = attempt.call.write(again);
        }
      } else if (this.inputDone) {
        attempt.halfClosed = true;
        attempt.call.end();
      } else if (
        !this.reading &&
        attempt.writable &&
        this.unanswered.size + this.outbox.length < this.maxInFlight
      ) {
        void this.readNext();
        return;
      } else {
        return;
      }
    }
  }

  /** Takes the next request from the source; it goes out with the open stream, or the next one. */
  private async readNext(): Promise<void> {
    this.reading = true;
    let request: ClassifyRequest;
    try {
      const next = await this.source.next();
      if (next.done) {
        this.inputDone = true;
        return;
      }
      const { images, ...options } = next.value;
      request = create(ClassifyRequestSchema, await toClassifyRequest(images, options));
      if (next.value.requestId === undefined) {
        request.requestId = `${this.idPrefix}-${this.generatedIds++}`;
      }
      if (request.requestId === "" || this.unanswered.has(request.requestId)) {
        throw new TypeError(
          `a resumable stream needs a unique, non-empty request_id; got '${request.requestId}'`,
        );
      }
    } catch (thrown) {
      this.finish(thrown instanceof Error ? thrown : new Error(String(thrown)));
      return;
    } finally {
      this.reading = false;
      if (this.inputDone) {
        this.pump();
      }
    }
    if (this.finished) {
      return;
    }
    this.unanswered.set(request.requestId, request);
    this.attempt?.toResend.push(request);
    this.pump();
  }

  private wakeCaller(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
