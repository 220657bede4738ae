import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import {
  Client,
  DEFAULTS,
  SwinserveError,
  VersionState,
  type ClassifyResponse,
  type ClientOptions,
  type ImageInput,
  type StreamRequest,
} from "../../src/index.js";
import { argmax, readPixelRows, relativeError, softmax, type Expected } from "./fixtures.js";
import { ProbeServer, type ProbeAnswer } from "./probe.js";
import type { ServerProcess } from "./server.js";

// cases.json is data read as JSON: its fields are typed `any` here and checked by the assertions.
export type Case = Record<string, any> & { id: string; kind: string };

export interface Context {
  server: ServerProcess;
  expected: Expected;
}

type Runner = (testCase: Case, context: Context) => Promise<void>;

/** What the runner does for each kind of case (clients/conformance/README.md, "Kinds"). */
export const KINDS: Record<string, Runner> = {
  health: (c, context) =>
    withClient(context.server.target, c.client, async (client) => {
      assert.equal(await client.health(), c.expect.status);
    }),

  models: (c, context) =>
    withClient(context.server.target, c.client, async (client) => {
      const model = (await client.models()).find((status) => status.name === c.expect.model);
      assert.ok(model, `no model ${c.expect.model} listed`);
      const available = model.versions
        .filter((version) => version.state === VersionState.AVAILABLE)
        .map((version) => Number(version.version))
        .sort((a, b) => a - b);
      assert.deepEqual(available, c.expect.available_versions);
      assert.deepEqual(numbers(model.labels), c.expect.labels);
      assert.equal(Number(model.defaultVersion), c.expect.default_version);
    }),

  classify: (c, context) =>
    withClient(context.server.target, c.client, async (client) => {
      const images = inputs(c.request, context.expected);
      const answer = await client.classify(images, classifyOptions(c.request));
      await checkAnswer(c, answer, images, client, context.expected);
    }),

  classify_each: (c, context) =>
    withClient(context.server.target, c.client, async (client) => {
      for (const request of c.requests) {
        const answer = await client.classify(inputs(request, context.expected), classifyOptions(request));
        assert.equal(Number(answer.model?.version), request.expect_version, JSON.stringify(request));
      }
    }),

  set_label: (c, context) =>
    withClient(context.server.target, c.client, async (client) => {
      await client.setLabel(c.request.model, c.request.label, c.request.version);
      const model = (await client.models()).find((status) => status.name === c.request.model);
      assert.deepEqual(numbers(model?.labels ?? {}), c.expect.labels);
      const rows = readPixelRows(context.expected.reference.pixels).slice(0, 1);
      const answer = await client.classify(rows, { model: c.request.model, label: c.expect.classify_label });
      assert.equal(Number(answer.model?.version), c.expect.classify_version);
    }),

  classify_error: (c, context) =>
    withClient(context.server.target, c.client, async (client) => {
      const failure = await failureOf(
        client.classify(inputs(c.request, context.expected), classifyOptions(c.request)),
      );
      assert.equal(failure.codeName, c.expect.code, failure.message);
      if (c.expect.message_contains !== undefined) {
        assert.ok(failure.details.includes(c.expect.message_contains), failure.details);
      }
    }),

  stream: (c, context) =>
    withClient(context.server.target, c.client, async (client) => {
      const answers = await collect(client, c, context.expected);
      checkStream(c, answers, context.expected);
    }),

  stream_restart: (c, context) =>
    withClient(context.server.target, c.client, async (client) => {
      let restarted: Promise<void> | undefined;
      const answers = await collect(client, c, context.expected, (count) => {
        if (count === c.restart.after_answers) {
          const port = context.server.port;
          restarted = context.server.kill().then(() => context.server.start(c.restart.same_port ? port : 0));
        }
      });
      assert.ok(restarted, "the server was never restarted");
      await restarted;
      checkStream(c, answers, context.expected);
    }),

  failover: async (c, context) => {
    const dead = await closedPort();
    const target = c.target
      .replace("DEAD_PORT", String(dead))
      .replace("LIVE_PORT", String(context.server.port));
    await withClient(target, c.client, async (client) => {
      const images = inputs(c.request, context.expected);
      for (let call = 0; call < c.request.calls; call++) {
        const answer = await client.classify(images, classifyOptions(c.request));
        assert.equal(answer.classifications.length, images.length);
      }
    });
  },

  probe: (c) =>
    withProbe(c, async (client, probe) => {
      const deadlineMs = c.call?.deadline_ms;
      const outcome = await client
        .classify([new Uint8Array([1])], { model: "probe", ...(deadlineMs ? { deadlineMs } : {}) })
        .then(
          () => "OK",
          (failure: unknown) => (failure as SwinserveError).codeName,
        );
      assert.equal(outcome, c.expect.code);
      assert.equal(probe.attempts.length, c.expect.attempts);
      if (c.expect.min_gap_ms !== undefined) {
        const gap = probe.attempts[1]!.arrivedMs - probe.attempts[0]!.arrivedMs;
        assert.ok(
          gap >= c.expect.min_gap_ms,
          `attempts ${gap} ms apart, expected at least ${c.expect.min_gap_ms}`,
        );
      }
      if (c.expect.server_deadline_ms !== undefined) {
        const seen = probe.attempts[0]!.deadlineMs;
        const { min, max } = c.expect.server_deadline_ms;
        assert.ok(
          seen !== undefined && seen >= min && seen <= max,
          `the server saw a deadline of ${seen} ms, expected [${min}, ${max}]`,
        );
      }
    }),

  tls: async (c, context) => {
    const files = c.client.tls;
    const tls = {
      trustedCas: tlsFile(files.trusted_cas),
      certChain: tlsFile(files.cert_chain),
      privateKey: tlsFile(files.private_key),
    };
    const secure = context.server.sibling(["--config", tlsFile(c.server.config)]);
    try {
      await secure.start();
      const target = `127.0.0.1:${secure.port}`;
      await withClient(
        target,
        undefined,
        async (client) => {
          const images = inputs(c.request, context.expected);
          const answer = await client.classify(images, classifyOptions(c.request));
          await checkAnswer(c, answer, images, client, context.expected);
        },
        { tls },
      );
      // One attempt each, so that the refusal is quick and not retried.
      const once = { retry: { maxAttempts: 1 } };
      const request = { model: c.request.model };
      const withoutCertificate = await failureOf(
        withClient(target, undefined, (client) => client.classify([new Uint8Array([1])], request).then(), {
          ...once,
          tls: { trustedCas: tls.trustedCas },
        }),
      );
      assert.equal(
        withoutCertificate.codeName,
        c.expect.without_client_certificate,
        withoutCertificate.message,
      );
      const plaintext = await failureOf(
        withClient(
          target,
          undefined,
          (client) => client.classify([new Uint8Array([1])], request).then(),
          once,
        ),
      );
      assert.equal(plaintext.codeName, c.expect.plaintext, plaintext.message);
    } catch (failure) {
      if (failure instanceof Error) {
        failure.message += ` (TLS server log: ${secure.logFile})`;
      }
      throw failure;
    } finally {
      await secure.stop();
    }
    secure.removeFiles(); // kept, with its log, when the case failed
  },

  breaker: (c) =>
    withProbe(c, async (client, probe) => {
      for (const [index, step] of c.steps.entries()) {
        if (step.sleep_ms !== undefined) {
          await new Promise((resolve) => setTimeout(resolve, step.sleep_ms));
          continue;
        }
        const messages: string[] = [];
        for (let call = 0; call < step.calls; call++) {
          const outcome = await client.classify([new Uint8Array([1])], { model: "probe" }).then(
            () => "OK",
            (failure: unknown) => {
              messages.push((failure as SwinserveError).details);
              return (failure as SwinserveError).codeName;
            },
          );
          assert.equal(outcome, step.expect_code, `step ${index}, call ${call}`);
        }
        assert.equal(probe.attempts.length, step.expect_attempts, `step ${index}: attempts the probe saw`);
        if (step.expect_message_contains !== undefined) {
          assert.ok(
            messages.some((message) => message.includes(step.expect_message_contains)),
            `step ${index}: ${messages}`,
          );
        }
        assert.equal(client.breakers()[0]!.state, step.expect_state, `step ${index}: breaker state`);
      }
    }),
};

/** A case's `client` settings as ClientOptions (snake_case to camelCase; unknown keys fail). */
export function clientOptions(settings: Record<string, any> | undefined): ClientOptions {
  const options: Record<string, any> = {};
  for (const [key, value] of Object.entries(settings ?? {})) {
    const name = camel(key);
    if (typeof value === "object") {
      const defaults = (DEFAULTS as Record<string, any>)[name];
      assert.ok(defaults && typeof defaults === "object", `unknown client setting ${key}`);
      options[name] = Object.fromEntries(
        Object.entries(value).map(([inner, innerValue]) => {
          assert.ok(camel(inner) in defaults, `unknown client setting ${key}.${inner}`);
          return [camel(inner), innerValue];
        }),
      );
    } else {
      assert.ok(name in DEFAULTS, `unknown client setting ${key}`);
      options[name] = value;
    }
  }
  return options;
}

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

async function withClient(
  target: string,
  settings: Record<string, any> | undefined,
  work: (client: Client) => Promise<void>,
  extra: ClientOptions = {},
): Promise<void> {
  const client = new Client(target, { ...clientOptions(settings), ...extra });
  try {
    await work(client);
  } finally {
    client.close();
  }
}

async function withProbe(
  c: Case,
  work: (client: Client, probe: ProbeServer) => Promise<void>,
): Promise<void> {
  const probe = await ProbeServer.start(c.probe_answers as ProbeAnswer[]);
  try {
    await withClient(probe.target, c.client, (client) => work(client, probe));
  } finally {
    await probe.stop();
  }
}

/** A `tls` case's file: `tls_ca` is $SWINSERVE_CONFORMANCE_TLS_CA. */
function tlsFile(name: string): string {
  const variable = `SWINSERVE_CONFORMANCE_${name.toUpperCase()}`;
  const file = process.env[variable];
  assert.ok(file, `set ${variable} (clients/conformance/README.md, "What a runner is given")`);
  return file;
}

function inputs(request: Record<string, any>, expected: Expected): ImageInput[] {
  switch (request.input) {
    case "reference_pixels": {
      const rows = readPixelRows(expected.reference.pixels);
      return request.rows ? request.rows.map((row: number) => rows[row]) : rows;
    }
    case "image_files":
      return expected.images.map((image) => image.file);
    case "image_bytes":
      return expected.images.map((image) => readFileSync(image.file));
    case "corrupt_bytes":
      return [Buffer.from(request.bytes_utf8, "utf8")];
    default:
      throw new Error(`unknown input ${request.input}`);
  }
}

function classifyOptions(request: Record<string, any>) {
  return {
    model: request.model,
    ...(request.version !== undefined ? { version: request.version } : {}),
    ...(request.label !== undefined ? { label: request.label } : {}),
    ...(request.top_k !== undefined ? { topK: request.top_k } : {}),
    ...(request.include_logits !== undefined ? { includeLogits: request.include_logits } : {}),
  };
}

async function checkAnswer(
  c: Case,
  answer: ClassifyResponse,
  images: ImageInput[],
  client: Client,
  expected: Expected,
): Promise<void> {
  const want = c.expect;
  assert.equal(answer.classifications.length, images.length);
  if (want.version !== undefined) {
    assert.equal(Number(answer.model?.version), want.version);
  }
  if (want.logits !== undefined) {
    const references = await referenceLogits(want.logits, c.request, client, expected);
    const bar = want.max_relative_error === "parity_bar" ? expected.parity_bar : want.max_relative_error;
    answer.classifications.forEach((classification, i) => {
      const error = relativeError(classification.logits, references[i]!);
      assert.ok(error <= bar, `image ${i}: relative error ${error} over ${bar}`);
      if (want.same_top_class) {
        assert.equal(argmax(classification.logits), argmax(references[i]!), `image ${i}: top class`);
      }
    });
  }
  for (const classification of answer.classifications) {
    const classes = classification.classes;
    if (want.classes_per_image !== undefined) {
      assert.equal(classes.length, want.classes_per_image);
    }
    if (want.best_first) {
      classes
        .slice(1)
        .forEach((next, i) => assert.ok(next.score <= classes[i]!.score, "scores must not increase"));
    }
    if (want.labels_from === "class_names") {
      classes.forEach((score) => assert.equal(score.label, expected.class_names[score.index]));
    }
    if (want.top_class_is_argmax) {
      assert.equal(classes[0]!.index, argmax(classification.logits));
    }
    if (want.scores_are_softmax !== undefined) {
      const probabilities = softmax(classification.logits);
      classes.forEach((score) =>
        assert.ok(
          Math.abs(score.score - probabilities[score.index]!) <= want.scores_are_softmax,
          `class ${score.index}: score ${score.score}`,
        ),
      );
    }
    if (want.logits_empty) {
      assert.equal(classification.logits.length, 0);
    }
  }
}

async function referenceLogits(
  kind: string,
  request: Record<string, any>,
  client: Client,
  expected: Expected,
): Promise<number[][]> {
  if (kind === "reference_logits") {
    const all = expected.reference.logits;
    return request.rows ? request.rows.map((row: number) => all[row]) : all;
  }
  if (kind === "image_pixel_logits") {
    const pixels = expected.images.map((image) => readPixelRows(image.pixels)[0]!);
    const answer = await client.classify(pixels, { model: request.model, includeLogits: true });
    return answer.classifications.map((classification) => classification.logits);
  }
  throw new Error(`unknown logits ${kind}`);
}

/** Runs a case's stream; `onAnswer` hears the count of answers so far. */
async function collect(
  client: Client,
  c: Case,
  expected: Expected,
  onAnswer: (count: number) => void = () => {},
): Promise<ClassifyResponse[]> {
  const rows = readPixelRows(expected.reference.pixels);
  function* requests(): Generator<StreamRequest> {
    for (let i = 0; i < c.request.count; i++) {
      yield {
        model: c.request.model,
        images: [rows[i % rows.length]!],
        requestId: `r${i}`,
        includeLogits: c.expect.logits !== undefined,
      };
    }
  }
  // The cases give a stream no deadline but stream_restart's; two minutes bounds a hung one.
  const deadlineMs = (c.request.deadline_s ?? 120) * 1000;
  const answers: ClassifyResponse[] = [];
  for await (const answer of client.classifyStream(requests(), {
    maxInFlight: c.request.max_in_flight,
    deadlineMs,
  })) {
    answers.push(answer);
    onAnswer(answers.length);
  }
  return answers;
}

function checkStream(c: Case, answers: ClassifyResponse[], expected: Expected): void {
  assert.equal(answers.length, c.expect.answers);
  const ids = answers.map((answer) => answer.requestId);
  assert.equal(new Set(ids).size, ids.length, "a request_id answered twice");
  const sent = Array.from({ length: c.request.count }, (_, i) => `r${i}`);
  assert.deepEqual([...ids].sort(), [...sent].sort());
  if (c.expect.logits === "reference_logits") {
    const bar =
      c.expect.max_relative_error === "parity_bar" ? expected.parity_bar : c.expect.max_relative_error;
    const references = expected.reference.logits;
    for (const answer of answers) {
      const row = Number(answer.requestId.slice(1)) % references.length;
      assert.equal(answer.error, undefined, `${answer.requestId} failed: ${answer.error?.message}`);
      const error = relativeError(answer.classifications[0]!.logits, references[row]!);
      assert.ok(error <= bar, `${answer.requestId}: relative error ${error} over ${bar}`);
    }
  }
}

async function failureOf(call: Promise<unknown>): Promise<SwinserveError> {
  try {
    await call;
  } catch (failure) {
    assert.ok(failure instanceof SwinserveError, `not a SwinserveError: ${failure}`);
    return failure;
  }
  assert.fail("the call succeeded");
}

/** A loopback port that was just bound and closed: nothing listens there. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function numbers(labels: Record<string, bigint>): Record<string, number> {
  return Object.fromEntries(Object.entries(labels).map(([label, version]) => [label, Number(version)]));
}
