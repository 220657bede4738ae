// Runs every compiled test (dist/test/**/*.test.js) with node's test runner: a readable report on
// stdout and a JUnit report at $SWINSERVE_CONFORMANCE_REPORT (default reports/junit.xml).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const report = resolve(process.env.SWINSERVE_CONFORMANCE_REPORT || join(root, "reports", "junit.xml"));
mkdirSync(dirname(report), { recursive: true });

const files = readdirSync(join(root, "dist", "test"), { recursive: true })
  .map(String)
  .filter((file) => file.endsWith(".test.js"))
  .sort()
  .map((file) => join("dist", "test", file));
if (files.length === 0) {
  console.error("no compiled tests under dist/test: run `npm run build` first");
  process.exit(1);
}
const run = spawnSync(
  process.execPath,
  [
    "--test",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=junit",
    `--test-reporter-destination=${report}`,
    ...files,
  ],
  { cwd: root, stdio: "inherit" },
);
console.log(`JUnit report: ${report}`);
process.exit(run.status ?? 1);
