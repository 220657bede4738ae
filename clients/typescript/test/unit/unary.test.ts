import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { Client, Status, SwinserveError } from "../../src/index.js";
import { FakeClassifier } from "../support/fakeClassifier.js";
import { ProbeServer } from "../support/probe.js";

const image = new Uint8Array([1]);
const stops: (() => unknown)[] = [];

after(async () => {
  for (const stop of stops) {
    await stop();
  }
});

async function probeClient(
  answers: Parameters<typeof ProbeServer.start>[0],
  options: ConstructorParameters<typeof Client>[1] = {},
) {
  const probe = await ProbeServer.start(answers);
  const client = new Client(probe.target, options);
  stops.push(
    () => client.close(),
    () => probe.stop(),
  );
  return { probe, client };
}

async function codeOf(call: Promise<unknown>): Promise<SwinserveError> {
  try {
    await call;
  } catch (failure) {
    assert.ok(failure instanceof SwinserveError);
    return failure;
  }
  return assert.fail("the call succeeded");
}

describe("unary resilience", () => {
  test("no retry whose wait would end at or after the deadline: the call fails at once", async () => {
    const { probe, client } = await probeClient([
      { code: "RESOURCE_EXHAUSTED", message: "full", pushback_ms: 5000 },
    ]);
    const started = Date.now();
    const failure = await codeOf(client.classify(image, { model: "m", deadlineMs: 1000 }));
    assert.equal(failure.code, Status.RESOURCE_EXHAUSTED);
    assert.ok(Date.now() - started < 900, "it did not wait for a retry past the deadline");
    assert.equal(probe.attempts.length, 1);
  });

  test("no retry without a budget token", async () => {
    const { probe, client } = await probeClient([{ code: "UNAVAILABLE" }, { code: "UNAVAILABLE" }], {
      retry: { budgetMinimum: 0 },
    });
    assert.equal((await codeOf(client.classify(image, { model: "m" }))).code, Status.UNAVAILABLE);
    assert.equal(probe.attempts.length, 1);
  });

  test("retries stop after maxAttempts with the last failure", async () => {
    const answers = [1, 2, 3, 4].map(() => ({ code: "UNAVAILABLE", message: "down" }));
    const { probe, client } = await probeClient(answers, { retry: { initialBackoffMs: 1, maxBackoffMs: 2 } });
    const failure = await codeOf(client.classify(image, { model: "m" }));
    assert.equal(failure.details, "down");
    assert.equal(probe.attempts.length, 3);
  });

  test("an open breaker refuses with UNAVAILABLE naming it, and its refusal is not retried", async () => {
    const transitions: string[] = [];
    const { probe, client } = await probeClient([{ code: "INTERNAL" }], {
      breaker: { windowSize: 1, minimumCalls: 1 },
      onBreakerStateChange: (endpoint, from, to) => transitions.push(`${endpoint}: ${from} -> ${to}`),
    });
    assert.equal((await codeOf(client.classify(image, { model: "m" }))).code, Status.INTERNAL);
    const refused = await codeOf(client.classify(image, { model: "m" }));
    assert.equal(refused.code, Status.UNAVAILABLE);
    assert.match(refused.details, /circuit breaker of endpoint 127\.0\.0\.1:\d+ is open/);
    assert.equal(refused.refusedBy, "breaker");
    assert.equal(probe.attempts.length, 1);
    assert.equal(client.breakers()[0]?.rejectedCalls, 1);
    assert.deepEqual(transitions, [`${probe.target}: CLOSED -> OPEN`]);
  });

  test("caller mistakes never open the breaker", async () => {
    const answers = [1, 2, 3].map(() => ({ code: "NOT_FOUND" }));
    const { client } = await probeClient(answers, { breaker: { windowSize: 2, minimumCalls: 2 } });
    for (let call = 0; call < 3; call++) {
      assert.equal((await codeOf(client.classify(image, { model: "m" }))).code, Status.NOT_FOUND);
    }
    assert.equal(client.breakers()[0]?.state, "CLOSED");
  });

  test("a full bulkhead fails the call at once with RESOURCE_EXHAUSTED, counting nothing", async () => {
    const fake = await FakeClassifier.start({}, 300);
    const client = new Client(fake.target, { maxConcurrentCalls: 1 });
    stops.push(
      () => client.close(),
      () => fake.stop(),
    );
    const first = client.classify(image, { model: "m" });
    const refused = await codeOf(client.classify(image, { model: "m" }));
    assert.equal(refused.code, Status.RESOURCE_EXHAUSTED);
    assert.equal(refused.refusedBy, "bulkhead");
    assert.equal((await first).requestId, "");
    assert.equal(fake.unaryCalls, 1);
    assert.equal(client.breakers()[0]?.bufferedCalls, 1);
  });

  test("closing the client ends a retry wait at once, with the last failure", async () => {
    const { client } = await probeClient([{ code: "RESOURCE_EXHAUSTED", pushback_ms: 2000 }]);
    const call = codeOf(client.classify(image, { model: "m" }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = Date.now();
    client.close();
    assert.equal((await call).code, Status.RESOURCE_EXHAUSTED);
    assert.ok(Date.now() - closed < 1000, "it did not wait out the pushback");
  });
});
