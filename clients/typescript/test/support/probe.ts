import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  Metadata,
  Server,
  ServerCredentials,
  status,
  type ServerUnaryCall,
  type sendUnaryData,
} from "@grpc/grpc-js";
import { performance } from "node:perf_hooks";
import {
  ClassifyRequestSchema,
  ClassifyResponseSchema,
  type ClassifyRequest,
  type ClassifyResponse,
} from "../../src/gen/swinserve/v1/classifier_pb.js";

/** One scripted answer: a status name, its message, and an optional pushback trailer. */
export interface ProbeAnswer {
  code: string;
  message?: string;
  pushback_ms?: number;
}

/** What the probe saw of one attempt. */
export interface ProbeAttempt {
  arrivedMs: number;
  /** The deadline the call carried, in ms from arrival; undefined when it carried none. */
  deadlineMs: number | undefined;
}

/**
 * A Classifier that misbehaves on cue (clients/conformance/README.md, "The probe server"): each
 * attempt is answered with the next scripted answer, then OK.
 */
export class ProbeServer {
  readonly attempts: ProbeAttempt[] = [];
  private readonly server = new Server();
  private port = 0;

  private constructor(private readonly answers: ProbeAnswer[]) {}

  static async start(answers: ProbeAnswer[]): Promise<ProbeServer> {
    const probe = new ProbeServer(answers);
    probe.server.addService(
      {
        classify: {
          path: "/swinserve.v1.Classifier/Classify",
          requestStream: false,
          responseStream: false,
          requestSerialize: (message: ClassifyRequest) =>
            Buffer.from(toBinary(ClassifyRequestSchema, message)),
          requestDeserialize: (bytes: Buffer) => fromBinary(ClassifyRequestSchema, bytes),
          responseSerialize: (message: ClassifyResponse) =>
            Buffer.from(toBinary(ClassifyResponseSchema, message)),
          responseDeserialize: (bytes: Buffer) => fromBinary(ClassifyResponseSchema, bytes),
        },
      },
      {
        classify: (
          call: ServerUnaryCall<ClassifyRequest, ClassifyResponse>,
          callback: sendUnaryData<ClassifyResponse>,
        ) => probe.answer(call, callback),
      },
    );
    probe.port = await new Promise<number>((resolve, reject) =>
      probe.server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    return probe;
  }

  get target(): string {
    return `127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }

  private answer(
    call: ServerUnaryCall<ClassifyRequest, ClassifyResponse>,
    callback: sendUnaryData<ClassifyResponse>,
  ): void {
    const deadline = call.getDeadline();
    const deadlineAt = deadline instanceof Date ? deadline.getTime() : deadline;
    this.attempts.push({
      arrivedMs: performance.now(),
      deadlineMs: Number.isFinite(deadlineAt) ? deadlineAt - Date.now() : undefined,
    });
    const scripted = this.answers[this.attempts.length - 1] ?? { code: "OK" };
    if (scripted.code !== "OK") {
      const trailers = new Metadata();
      if (scripted.pushback_ms !== undefined) {
        trailers.set("grpc-retry-pushback-ms", String(scripted.pushback_ms));
      }
      const code = status[scripted.code as keyof typeof status];
      callback({
        code,
        details: scripted.message ?? "",
        metadata: trailers,
        name: "ProbeError",
        message: scripted.message ?? "",
      });
      return;
    }
    const request = call.request;
    callback(
      null,
      create(ClassifyResponseSchema, {
        requestId: request.requestId,
        model: { name: request.model?.name ?? "", version: 1n },
        classifications: request.images.map(() => ({ classes: [{ index: 0, label: "probe", score: 1 }] })),
      }),
    );
  }
}
