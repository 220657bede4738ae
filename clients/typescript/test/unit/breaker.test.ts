import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEFAULTS, type BreakerState } from "../../src/index.js";
import { CircuitBreaker } from "../../src/resilience/circuitBreaker.js";

class ManualClock {
  time = 0;
  now(): number {
    return this.time;
  }
}

function breaker(overrides: Partial<typeof DEFAULTS.breaker> = {}) {
  const clock = new ManualClock();
  const transitions: string[] = [];
  const subject = new CircuitBreaker(
    "e",
    { ...DEFAULTS.breaker, ...overrides },
    clock,
    (from: BreakerState, to: BreakerState) => transitions.push(`${from}->${to}`),
  );
  return { subject, clock, transitions };
}

describe("CircuitBreaker", () => {
  test("stays closed below the minimum number of calls, opens at the failure threshold", () => {
    const { subject } = breaker();
    for (let call = 0; call < 9; call++) {
      assert.ok(subject.tryAcquire());
      subject.onFailure(1);
    }
    assert.equal(subject.state, "CLOSED");
    assert.equal(subject.snapshot().failureRatePercent, -1);
    assert.ok(subject.tryAcquire());
    subject.onFailure(1);
    assert.equal(subject.state, "OPEN");
  });

  test("half of the window failing opens it; less does not", () => {
    const { subject } = breaker({ windowSize: 4, minimumCalls: 4 });
    subject.onFailure(1);
    subject.onSuccess(1);
    subject.onSuccess(1);
    subject.onSuccess(1);
    assert.equal(subject.state, "CLOSED");
    assert.equal(subject.snapshot().failureRatePercent, 25);
    subject.onFailure(1); // the first failure slid out: S S S F
    assert.equal(subject.state, "CLOSED");
    subject.onFailure(1); // S S F F
    assert.equal(subject.state, "OPEN");
  });

  test("slow calls open it at their own threshold", () => {
    const { subject } = breaker({ windowSize: 5, minimumCalls: 5 });
    for (let call = 0; call < 4; call++) {
      subject.onSuccess(5_000);
    }
    subject.onSuccess(10);
    assert.equal(subject.state, "OPEN");
  });

  test("open: refuses, counting refusals, until the wait is over; then probes decide", () => {
    const { subject, clock, transitions } = breaker({
      windowSize: 2,
      minimumCalls: 2,
      halfOpenProbes: 2,
      waitInOpenStateMs: 1000,
    });
    subject.onFailure(1);
    subject.onFailure(1);
    assert.equal(subject.tryAcquire(), false);
    assert.match(subject.refusal(), /is open/);
    clock.time = 1000;
    assert.equal(subject.mayAdmit(), true);
    assert.equal(subject.tryAcquire(), false, "the wait ends strictly after its length");
    clock.time = 1001;
    assert.equal(subject.tryAcquire(), true);
    assert.equal(subject.state, "HALF_OPEN");
    assert.equal(subject.tryAcquire(), true);
    assert.equal(subject.tryAcquire(), false, "only two probes");
    subject.onSuccess(1);
    subject.onSuccess(1);
    assert.equal(subject.state, "CLOSED");
    assert.equal(subject.snapshot().rejectedCalls, 3);
    assert.deepEqual(transitions, ["CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"]);
  });

  test("a failing probe opens it again and restarts the wait", () => {
    const { subject, clock } = breaker({
      windowSize: 1,
      minimumCalls: 1,
      halfOpenProbes: 1,
      waitInOpenStateMs: 10,
    });
    subject.onFailure(1);
    clock.time = 11;
    assert.ok(subject.tryAcquire());
    subject.onFailure(1);
    assert.equal(subject.state, "OPEN");
    clock.time = 20;
    assert.equal(subject.tryAcquire(), false);
  });

  test("a released probe permit can be taken again", () => {
    const { subject, clock } = breaker({
      windowSize: 1,
      minimumCalls: 1,
      halfOpenProbes: 1,
      waitInOpenStateMs: 10,
    });
    subject.onFailure(1);
    clock.time = 11;
    assert.ok(subject.tryAcquire());
    subject.release();
    assert.ok(subject.tryAcquire());
  });
});
