import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  Metadata,
  Server,
  ServerCredentials,
  status,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type sendUnaryData,
} from "@grpc/grpc-js";
import {
  ClassifyRequestSchema,
  ClassifyResponseSchema,
  type ClassifyRequest,
  type ClassifyResponse,
} from "../../src/gen/swinserve/v1/classifier_pb.js";

/** How the fake ends or answers one ClassifyStream; `stream` counts streams from 0. */
export interface StreamScript {
  /** After this many answers on stream `stream`, end it with `code` (OK: a normal end). */
  endAfter?: (stream: number) => { answers: number; code: status; pushbackMs?: number } | undefined;
  /** Answer every request this many times (duplicates). Default 1. */
  copies?: number;
  /** Delay before each answer, in ms. Default 0. */
  delayMs?: number;
}

/**
 * An in-process Classifier on loopback for unit tests: unary calls wait `unaryDelayMs` and answer
 * with the next scripted code; streams answer per StreamScript and record what they saw.
 */
export class FakeClassifier {
  readonly received: string[] = [];
  unaryCalls = 0;
  streams = 0;
  /** The most requests a stream had read and not yet answered. */
  maxUnanswered = 0;
  private readonly server = new Server();
  private port = 0;

  private constructor(
    private readonly script: StreamScript,
    private readonly unaryDelayMs: number,
  ) {}

  /** Started on 127.0.0.1 with `credentials` (default: plaintext). */
  static async start(
    script: StreamScript = {},
    unaryDelayMs = 0,
    credentials: ServerCredentials = ServerCredentials.createInsecure(),
  ): Promise<FakeClassifier> {
    const fake = new FakeClassifier(script, unaryDelayMs);
    const serialize = (message: ClassifyResponse) => Buffer.from(toBinary(ClassifyResponseSchema, message));
    const deserialize = (bytes: Buffer) => fromBinary(ClassifyRequestSchema, bytes);
    const method = {
      requestSerialize: (m: ClassifyRequest) => Buffer.from(toBinary(ClassifyRequestSchema, m)),
      requestDeserialize: deserialize,
      responseSerialize: serialize,
      responseDeserialize: (b: Buffer) => fromBinary(ClassifyResponseSchema, b),
    };
    fake.server.addService(
      {
        classify: {
          path: "/swinserve.v1.Classifier/Classify",
          requestStream: false,
          responseStream: false,
          ...method,
        },
        classifyStream: {
          path: "/swinserve.v1.Classifier/ClassifyStream",
          requestStream: true,
          responseStream: true,
          ...method,
        },
      },
      {
        classify: (
          call: ServerUnaryCall<ClassifyRequest, ClassifyResponse>,
          callback: sendUnaryData<ClassifyResponse>,
        ) => {
          fake.unaryCalls++;
          setTimeout(() => callback(null, answerTo(call.request)), fake.unaryDelayMs);
        },
        classifyStream: (call: ServerDuplexStream<ClassifyRequest, ClassifyResponse>) => fake.stream(call),
      },
    );
    fake.port = await new Promise<number>((resolve, reject) =>
      fake.server.bindAsync("127.0.0.1:0", credentials, (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    return fake;
  }

  get target(): string {
    return `127.0.0.1:${this.port}`;
  }

  get boundPort(): number {
    return this.port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }

  private stream(call: ServerDuplexStream<ClassifyRequest, ClassifyResponse>): void {
    const number = this.streams++;
    const end = this.script.endAfter?.(number);
    let answered = 0;
    let read = 0;
    let finished = false;
    let inputDone = false;
    const finish = (code: status, pushbackMs?: number) => {
      if (finished) {
        return;
      }
      finished = true;
      if (code === status.OK) {
        call.end();
        return;
      }
      const trailers = new Metadata();
      if (pushbackMs !== undefined) {
        trailers.set("grpc-retry-pushback-ms", String(pushbackMs));
      }
      call.emit("error", { code, details: `fake: stream ${number} ends`, metadata: trailers });
    };
    if (end !== undefined && end.answers === 0) {
      finish(end.code, end.pushbackMs);
      return;
    }
    call.on("data", (request: ClassifyRequest) => {
      this.received.push(request.requestId);
      read++;
      this.maxUnanswered = Math.max(this.maxUnanswered, read - answered);
      setTimeout(() => {
        if (finished) {
          return;
        }
        for (let copy = 0; copy < (this.script.copies ?? 1); copy++) {
          call.write(answerTo(request));
        }
        answered++;
        if (end !== undefined && answered >= end.answers) {
          finish(end.code, end.pushbackMs);
        } else if (inputDone && answered === read) {
          finish(status.OK);
        }
      }, this.script.delayMs ?? 0);
    });
    call.on("end", () => {
      inputDone = true;
      if (answered === read) {
        finish(status.OK);
      }
    });
    call.on("error", () => {});
  }
}

function answerTo(request: ClassifyRequest): ClassifyResponse {
  return create(ClassifyResponseSchema, {
    requestId: request.requestId,
    model: { name: request.model?.name ?? "", version: 1n },
    classifications: request.images.map(() => ({ classes: [{ index: 0, label: "fake", score: 1 }] })),
  });
}
