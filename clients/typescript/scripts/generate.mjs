// Generates TypeScript from the project's protos into src/gen (not committed), offline:
// Buf (from npm) compiles, protoc-gen-es (from npm) writes the code. google/rpc/status.proto
// comes from the google-proto-files package and grpc/health/v1/health.proto from
// grpc-health-check; both are copied into a scratch workspace under build/, never into the repo.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const packageDir = (name) => dirname(require.resolve(`${name}/package.json`));

const workspace = join(root, "build", "protos");
rmSync(workspace, { recursive: true, force: true });
mkdirSync(workspace, { recursive: true });
cpSync(join(root, "..", "..", "proto", "src", "main", "proto", "swinserve"), join(workspace, "swinserve"), {
  recursive: true,
});
// [file in a package, where the import statements expect it]
const imports = [
  [join(packageDir("google-proto-files"), "google/rpc/status.proto"), "google/rpc/status.proto"],
  [join(packageDir("grpc-health-check"), "proto/health/v1/health.proto"), "grpc/health/v1/health.proto"],
];
for (const [source, target] of imports) {
  mkdirSync(dirname(join(workspace, target)), { recursive: true });
  cpSync(source, join(workspace, target));
}
writeFileSync(join(workspace, "buf.yaml"), "version: v2\n");

const out = join(root, "src", "gen");
rmSync(out, { recursive: true, force: true });
const plugin = join(root, "node_modules", ".bin", "protoc-gen-es");
writeFileSync(
  join(root, "build", "buf.gen.yaml"),
  [
    "version: v2",
    "plugins:",
    `  - local: ${JSON.stringify(plugin)}`,
    `    out: ${JSON.stringify(out)}`,
    "    opt: [target=ts, import_extension=js]",
    "",
  ].join("\n"),
);
const buf = join(packageDir("@bufbuild/buf"), "bin", "buf");
execFileSync(buf, ["generate", workspace, "--template", join(root, "build", "buf.gen.yaml")], {
  stdio: "inherit",
});
console.log(`generated ${out}`);
