// The conformance suite (clients/conformance/cases.json): one test per case, named by its id,
// against a real `swinserve serve` started once for the suite (and probe servers hosted here).
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { readExpected, type Expected } from "./support/fixtures.js";
import { KINDS, type Case, type Context } from "./support/kinds.js";
import { ServerProcess } from "./support/server.js";

// Compiled to dist/test/: cases.json is clients/conformance/ from the package folder.
const casesFile = fileURLToPath(new URL("../../../conformance/cases.json", import.meta.url));
const suite = JSON.parse(readFileSync(casesFile, "utf8")) as {
  server: { ready_within_s: number };
  cases: Case[];
};

const VARIABLES = [
  "SWINSERVE_CONFORMANCE_SERVE",
  "SWINSERVE_CONFORMANCE_REPOSITORY",
  "SWINSERVE_CONFORMANCE_EXPECTED",
  "SWINSERVE_CONFORMANCE_TLS_CONFIG",
  "SWINSERVE_CONFORMANCE_TLS_CA",
  "SWINSERVE_CONFORMANCE_TLS_CLIENT_CERT",
  "SWINSERVE_CONFORMANCE_TLS_CLIENT_KEY",
] as const;

describe("conformance", () => {
  let context: Context | undefined;
  // Each case fails with it, naming the cause, rather than being cancelled by a failed hook.
  let startFailure: Error | undefined;

  before(async () => {
    try {
      context = await start();
    } catch (failure) {
      startFailure = failure instanceof Error ? failure : new Error(String(failure));
    }
  });

  let failed = false;
  after(async () => {
    await context?.server.stop();
    if (!failed) {
      context?.server.removeFiles(); // a failure's message names the log, which stays
    }
  });

  async function start(): Promise<Context> {
    const missing = VARIABLES.filter((name) => !process.env[name]);
    if (missing.length > 0) {
      throw new Error(
        `set ${missing.join(", ")} (clients/conformance/README.md, "What a runner is given"); ` +
          "for development: /work/conformance-env/{serve.sh,repository,expected/expected.json} and " +
          "/work/conformance-env/tls/{server-tls.yaml,ca.crt,client.crt,client.key}",
      );
    }
    const expected: Expected = readExpected(process.env.SWINSERVE_CONFORMANCE_EXPECTED!);
    const server = new ServerProcess(
      process.env.SWINSERVE_CONFORMANCE_SERVE!,
      process.env.SWINSERVE_CONFORMANCE_REPOSITORY!,
      suite.server.ready_within_s * 1000,
    );
    await server.start();
    return { server, expected };
  }

  for (const testCase of suite.cases) {
    test(testCase.id, async () => {
      if (context === undefined) {
        throw startFailure ?? new Error("the server did not start");
      }
      const run = KINDS[testCase.kind];
      if (run === undefined) {
        throw new Error(`no runner for kind ${testCase.kind}`);
      }
      try {
        await run(testCase, context);
      } catch (failure) {
        failed = true;
        if (failure instanceof Error) {
          failure.message += ` (server log: ${context.server.logFile})`;
        }
        throw failure;
      }
    });
  }
});
