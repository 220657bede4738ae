import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { status } from "@grpc/grpc-js";
import { Client, SwinserveError, type ClassifyResponse, type StreamRequest } from "../../src/index.js";
import { FakeClassifier, type StreamScript } from "../support/fakeClassifier.js";

const image = new Uint8Array([1]);
const clients: Client[] = [];
const fakes: FakeClassifier[] = [];

after(async () => {
  clients.forEach((client) => client.close());
  await Promise.all(fakes.map((fake) => fake.stop()));
});

async function setUp(script: StreamScript) {
  const fake = await FakeClassifier.start(script);
  fakes.push(fake);
  const client = new Client(fake.target, { retry: { initialBackoffMs: 5, maxBackoffMs: 20 } });
  clients.push(client);
  return { fake, client };
}

function* requests(count: number, id = (i: number): string | undefined => `r${i}`): Generator<StreamRequest> {
  for (let i = 0; i < count; i++) {
    const requestId = id(i);
    yield { model: "m", images: [image], ...(requestId !== undefined ? { requestId } : {}) };
  }
}

async function drain(stream: AsyncIterable<ClassifyResponse>): Promise<string[]> {
  const ids: string[] = [];
  for await (const answer of stream) {
    ids.push(answer.requestId);
  }
  return ids;
}

function sorted(ids: string[]): string[] {
  return [...ids].sort();
}

const expectedIds = (count: number) => sorted(Array.from({ length: count }, (_, i) => `r${i}`));

describe("classifyStream", () => {
  test("a break with UNAVAILABLE reconnects and resends: every request answered exactly once", async () => {
    const { fake, client } = await setUp({
      endAfter: (stream) => (stream < 2 ? { answers: 7, code: status.UNAVAILABLE } : undefined),
    });
    const ids = await drain(client.classifyStream(requests(50), { maxInFlight: 8 }));
    assert.deepEqual(sorted(ids), expectedIds(50));
    assert.equal(fake.streams, 3);
    assert.ok(fake.received.length > 50, "unanswered requests were sent again");
  });

  test("a server that ends the stream normally with requests unanswered is reconnected to", async () => {
    const { fake, client } = await setUp({
      endAfter: (stream) => (stream === 0 ? { answers: 3, code: status.OK } : undefined),
    });
    const ids = await drain(client.classifyStream(requests(20), { maxInFlight: 4 }));
    assert.deepEqual(sorted(ids), expectedIds(20));
    assert.equal(fake.streams, 2);
  });

  test("an answer that comes twice is delivered once", async () => {
    const { client } = await setUp({ copies: 2 });
    const ids = await drain(client.classifyStream(requests(30), { maxInFlight: 5 }));
    assert.deepEqual(sorted(ids), expectedIds(30));
  });

  test("never more than maxInFlight requests unanswered", async () => {
    const { fake, client } = await setUp({ delayMs: 2 });
    const ids = await drain(client.classifyStream(requests(60), { maxInFlight: 3 }));
    assert.equal(ids.length, 60);
    assert.ok(fake.maxUnanswered <= 3, `the server held ${fake.maxUnanswered} unanswered`);
    assert.ok(fake.maxUnanswered >= 2, "requests were pipelined");
  });

  test("a caller that reads slowly holds the requests back", async () => {
    const { fake, client } = await setUp({});
    const stream = client.classifyStream(requests(40), { maxInFlight: 4 })[Symbol.asyncIterator]();
    await stream.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(
      fake.received.length <= 5,
      `${fake.received.length} requests sent while the caller read one answer`,
    );
    await stream.return?.();
  });

  test("requests without an id get unique generated ones", async () => {
    const { client } = await setUp({});
    const ids = await drain(
      client.classifyStream(
        requests(10, () => undefined),
        { maxInFlight: 4 },
      ),
    );
    assert.equal(new Set(ids).size, 10);
    assert.ok(ids.every((id) => id !== ""));
  });

  test("an empty or repeated request id fails the stream", async () => {
    const { client } = await setUp({ delayMs: 50 });
    await assert.rejects(
      drain(
        client.classifyStream(
          requests(3, () => "same"),
          { maxInFlight: 4 },
        ),
      ),
      /unique, non-empty request_id; got 'same'/,
    );
    await assert.rejects(
      drain(
        client.classifyStream(
          requests(1, () => ""),
          { maxInFlight: 4 },
        ),
      ),
      /got ''/,
    );
  });

  test("a break with a status that is not retried fails the stream with it", async () => {
    const { fake, client } = await setUp({ endAfter: () => ({ answers: 2, code: status.INVALID_ARGUMENT }) });
    await assert.rejects(
      drain(client.classifyStream(requests(10), { maxInFlight: 2 })),
      (failure: unknown) => {
        assert.ok(failure instanceof SwinserveError);
        assert.equal(failure.code, status.INVALID_ARGUMENT);
        return true;
      },
    );
    assert.equal(fake.streams, 1);
  });

  test("reconnections stop after maxAttempts - 1 in a row without an answer", async () => {
    const fake = await FakeClassifier.start({ endAfter: () => ({ answers: 0, code: status.UNAVAILABLE }) });
    fakes.push(fake);
    const client = new Client(fake.target, {
      retry: { maxAttempts: 4, initialBackoffMs: 1, maxBackoffMs: 2 },
    });
    clients.push(client);
    await assert.rejects(drain(client.classifyStream(requests(3), { maxInFlight: 2 })), {
      code: status.UNAVAILABLE,
    });
    assert.equal(fake.streams, 4);
  });

  test("takes an async iterable, and fails with what it throws", async () => {
    const { client } = await setUp({});
    async function* slowly(): AsyncGenerator<StreamRequest> {
      yield* requests(3);
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error("the source broke");
    }
    const ids: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const answer of client.classifyStream(slowly(), { maxInFlight: 2 })) {
          ids.push(answer.requestId);
        }
      })(),
      /the source broke/,
    );
    assert.ok(
      ids.every((id) => ["r0", "r1", "r2"].includes(id)),
      `${ids}`,
    );
    assert.equal(new Set(ids).size, ids.length);
  });

  test("maxInFlight must be at least 1", async () => {
    const { client } = await setUp({});
    assert.throws(() => client.classifyStream(requests(1), { maxInFlight: 0 }), RangeError);
  });
});
