import {
  create,
  fromBinary,
  toBinary,
  type DescMessage,
  type DescMethod,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import { Metadata, type Client as GrpcClient, type ClientDuplexStream } from "@grpc/grpc-js";
import type { Deadline } from "./deadline.js";
import { asSwinserveError } from "./errors.js";

/**
 * The thin layer between protobuf-es descriptors (generated from the protos) and grpc-js's
 * generic calls: a method's path and its (de)serialisers.
 */
interface MethodOf<I extends DescMessage, O extends DescMessage> extends Omit<
  DescMethod,
  "input" | "output"
> {
  input: I;
  output: O;
}

function path(method: DescMethod | MethodOf<DescMessage, DescMessage>): string {
  return `/${method.parent.typeName}/${method.name}`;
}

function serializer<I extends DescMessage>(schema: I): (message: MessageShape<I>) => Buffer {
  return (message) => Buffer.from(toBinary(schema, message));
}

function deserializer<O extends DescMessage>(schema: O): (bytes: Buffer) => MessageShape<O> {
  return (bytes) => fromBinary(schema, bytes);
}

/** One unary call with `deadline`; fails with a SwinserveError. */
export function unary<I extends DescMessage, O extends DescMessage>(
  client: GrpcClient,
  method: MethodOf<I, O>,
  request: MessageInitShape<I>,
  deadline: Deadline,
): Promise<MessageShape<O>> {
  const message = create(method.input, request);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      path(method),
      serializer(method.input),
      deserializer(method.output),
      message,
      new Metadata(),
      { deadline: deadline.at },
      (error, response) => {
        if (error || response === undefined) {
          reject(asSwinserveError(error ?? new Error("no response")));
        } else {
          resolve(response);
        }
      },
    );
  });
}

/** Opens a bidirectional stream with `deadline`. */
export function bidi<I extends DescMessage, O extends DescMessage>(
  client: GrpcClient,
  method: MethodOf<I, O>,
  deadline: Deadline,
): ClientDuplexStream<MessageShape<I>, MessageShape<O>> {
  return client.makeBidiStreamRequest(
    path(method),
    serializer(method.input),
    deserializer(method.output),
    new Metadata(),
    { deadline: deadline.at },
  );
}
