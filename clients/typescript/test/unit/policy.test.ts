import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Metadata } from "@grpc/grpc-js";
import { DEFAULTS, Status, SwinserveError, readPushback } from "../../src/index.js";
import { backoffMs } from "../../src/resilience/backoff.js";
import { RetryBudget } from "../../src/resilience/retryBudget.js";
import { isRetryable, isServerUnwell } from "../../src/resilience/statusPolicy.js";

function trailers(pushback?: string): Metadata {
  const metadata = new Metadata();
  if (pushback !== undefined) {
    metadata.set("grpc-retry-pushback-ms", pushback);
  }
  return metadata;
}

function failure(code: Status, pushback?: string): SwinserveError {
  return new SwinserveError(code, "test", { metadata: trailers(pushback) });
}

describe("readPushback", () => {
  test("reads whole milliseconds, spaces allowed, negative kept", () => {
    assert.equal(readPushback(trailers("700")), 700);
    assert.equal(readPushback(trailers(" 25 ")), 25);
    assert.equal(readPushback(trailers("-1")), -1);
  });

  test("nothing for no trailer or a malformed value", () => {
    assert.equal(readPushback(trailers()), undefined);
    assert.equal(readPushback(undefined), undefined);
    for (const malformed of ["", "1.5", "soon", "12ms", "99999999999999999999"]) {
      assert.equal(readPushback(trailers(malformed)), undefined, malformed);
    }
  });
});

describe("status policy", () => {
  test("retries UNAVAILABLE and shed RESOURCE_EXHAUSTED, unless pushback is negative", () => {
    assert.equal(isRetryable(failure(Status.UNAVAILABLE)), true);
    assert.equal(isRetryable(failure(Status.UNAVAILABLE, "-1")), false);
    assert.equal(isRetryable(failure(Status.RESOURCE_EXHAUSTED)), false);
    assert.equal(isRetryable(failure(Status.RESOURCE_EXHAUSTED, "10")), true);
    assert.equal(isRetryable(failure(Status.RESOURCE_EXHAUSTED, "-1")), false);
    for (const code of [
      Status.DEADLINE_EXCEEDED,
      Status.INVALID_ARGUMENT,
      Status.NOT_FOUND,
      Status.INTERNAL,
      Status.CANCELLED,
    ]) {
      assert.equal(isRetryable(failure(code)), false, Status[code]);
    }
  });

  test("never retries what the client refused itself", () => {
    const refused = new SwinserveError(Status.UNAVAILABLE, "breaker open", { refusedBy: "breaker" });
    assert.equal(isRetryable(refused), false);
    assert.equal(isServerUnwell(refused), false);
  });

  test("counts server-unwell statuses against a breaker, never caller mistakes", () => {
    for (const code of [Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED, Status.INTERNAL, Status.UNKNOWN]) {
      assert.equal(isServerUnwell(failure(code)), true, Status[code]);
    }
    assert.equal(isServerUnwell(failure(Status.RESOURCE_EXHAUSTED, "5")), true);
    assert.equal(
      isServerUnwell(failure(Status.RESOURCE_EXHAUSTED)),
      false,
      "an oversized message is the caller's doing",
    );
    for (const code of [
      Status.INVALID_ARGUMENT,
      Status.NOT_FOUND,
      Status.FAILED_PRECONDITION,
      Status.CANCELLED,
    ]) {
      assert.equal(isServerUnwell(failure(code)), false, Status[code]);
    }
  });
});

describe("backoff", () => {
  const retry = DEFAULTS.retry;

  test("doubles from 100 ms up to 2 s before jitter (random 0.5 is no jitter)", () => {
    const waits = [1, 2, 3, 4, 5, 6].map((failures) =>
      backoffMs(retry, failures, failure(Status.UNAVAILABLE), () => 0.5),
    );
    assert.deepEqual(waits, [100, 200, 400, 800, 1600, 2000]);
  });

  test("jitter spans ±50 %", () => {
    assert.equal(
      backoffMs(retry, 1, failure(Status.UNAVAILABLE), () => 0),
      50,
    );
    assert.equal(
      backoffMs(retry, 1, failure(Status.UNAVAILABLE), () => 0.999999),
      150,
    );
  });

  test("the server's pushback replaces it", () => {
    assert.equal(
      backoffMs(retry, 3, failure(Status.RESOURCE_EXHAUSTED, "700"), () => 0),
      700,
    );
  });
});

describe("RetryBudget", () => {
  test("starts with the minimum, spends one per retry, earns the ratio per call", () => {
    const budget = new RetryBudget(0.5, 2);
    assert.equal(budget.tryAcquireRetry(), true);
    assert.equal(budget.tryAcquireRetry(), true);
    assert.equal(budget.tryAcquireRetry(), false);
    budget.recordCall();
    assert.equal(budget.tryAcquireRetry(), false, "half a token is no retry");
    budget.recordCall();
    assert.equal(budget.tryAcquireRetry(), true);
  });

  test("never saves up beyond its capacity", () => {
    const budget = new RetryBudget(0.1, 10);
    for (let call = 0; call < 1000; call++) {
      budget.recordCall();
    }
    assert.equal(budget.tokens, 10);
  });
});
