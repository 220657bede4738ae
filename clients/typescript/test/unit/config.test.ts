import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEFAULTS, resolveConfig } from "../../src/index.js";
import { parseTarget } from "../../src/target.js";

describe("resolveConfig", () => {
  test("defaults are the Java ClientConfig's", () => {
    assert.deepEqual(resolveConfig(), {
      defaultDeadlineMs: 10_000,
      maxConcurrentCalls: 64,
      retry: {
        maxAttempts: 3,
        initialBackoffMs: 100,
        multiplier: 2,
        maxBackoffMs: 2_000,
        jitter: 0.5,
        budgetRatio: 0.1,
        budgetMinimum: 10,
      },
      breaker: {
        windowSize: 20,
        minimumCalls: 10,
        failureRateThresholdPercent: 50,
        slowCallDurationMs: 5_000,
        slowCallRateThresholdPercent: 80,
        waitInOpenStateMs: 10_000,
        halfOpenProbes: 3,
      },
    });
  });

  test("an option given replaces only its default", () => {
    const config = resolveConfig({
      defaultDeadlineMs: 4000,
      retry: { maxAttempts: 60 },
      breaker: { windowSize: 4, minimumCalls: undefined },
    });
    assert.equal(config.defaultDeadlineMs, 4000);
    assert.deepEqual(config.retry, { ...DEFAULTS.retry, maxAttempts: 60 });
    assert.deepEqual(config.breaker, { ...DEFAULTS.breaker, windowSize: 4 });
    assert.equal(config.maxConcurrentCalls, 64);
  });

  for (const [options, complaint] of [
    [{ defaultDeadlineMs: 0 }, /defaultDeadlineMs must be positive/],
    [{ maxConcurrentCalls: 0 }, /maxConcurrentCalls must be an integer of at least 1/],
    [{ retry: { maxAttempts: 1.5 } }, /retry.maxAttempts/],
    [{ retry: { jitter: 1.5 } }, /retry.jitter must be within \[0, 1\]/],
    [{ retry: { multiplier: 0.5 } }, /retry.multiplier/],
    [{ retry: { budgetMinimum: -1 } }, /retry.budgetMinimum/],
    [
      { breaker: { failureRateThresholdPercent: 0 } },
      /failureRateThresholdPercent must be within \(0, 100\]/,
    ],
    [{ breaker: { slowCallRateThresholdPercent: 101 } }, /slowCallRateThresholdPercent/],
    [{ breaker: { waitInOpenStateMs: -5 } }, /waitInOpenStateMs must be positive/],
    [{ breaker: { halfOpenProbes: 0 } }, /halfOpenProbes/],
  ] as const) {
    test(`refuses ${JSON.stringify(options)}`, () => {
      assert.throws(() => resolveConfig(options), { name: "RangeError", message: complaint });
    });
  }
});

describe("parseTarget", () => {
  test("a static list is an endpoint per entry, spaces and empty entries dropped", () => {
    assert.deepEqual(parseTarget("h1:1, h2:2,,"), ["h1:1", "h2:2"]);
  });

  test("anything else is one endpoint", () => {
    assert.deepEqual(parseTarget(" dns:///swinserve:8500 "), ["dns:///swinserve:8500"]);
    assert.deepEqual(parseTarget("unix:/tmp/s.sock"), ["unix:/tmp/s.sock"]);
  });

  test("refuses a blank target and a list of nothing", () => {
    assert.throws(() => parseTarget("  "), TypeError);
    assert.throws(() => parseTarget(" , "), /no address in target/);
  });
});
