import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** PEM files made at test time (never committed) by the `openssl` command: EC P-256, PKCS#8 keys. */
export interface TestCertificates {
  folder: string;
  ca: string;
  server: { chain: string; key: string };
  client: { chain: string; key: string };
  remove(): void;
}

/**
 * A CA, a server certificate whose only subject alternative name is `serverSubjectAltName`
 * (e.g. `DNS:localhost`), and a client certificate, all signed by the CA; valid for a day.
 * @throws Error when `openssl` is missing or fails (the message says which)
 */
export function makeCertificates(serverSubjectAltName: string): TestCertificates {
  const folder = mkdtempSync(join(tmpdir(), "swinserve-ts-certs-"));
  const file = (name: string) => join(folder, name);
  const openssl = (...args: string[]) => {
    try {
      execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
    } catch (failure) {
      const stderr = (failure as { stderr?: Buffer }).stderr?.toString() ?? "";
      throw new Error(
        `openssl ${args[0]} failed (the TLS tests need the openssl command): ${failure} ${stderr}`,
      );
    }
  };
  const newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    "req",
    "-x509",
    ...newKey,
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.crt"),
    "-days",
    "1",
    "-subj",
    "/CN=swinserve ts test CA",
  );
  const leaf = (name: string, subjectAltName: string | undefined, usage: string) => {
    openssl(
      "req",
      ...newKey,
      "-keyout",
      file(`${name}.key`),
      "-out",
      file(`${name}.csr`),
      "-subj",
      `/CN=${name}`,
    );
    const extensions = [
      `extendedKeyUsage=${usage}`,
      ...(subjectAltName ? [`subjectAltName=${subjectAltName}`] : []),
    ];
    writeFileSync(file(`${name}.ext`), extensions.join("\n") + "\n");
    openssl(
      "x509",
      "-req",
      "-in",
      file(`${name}.csr`),
      "-CA",
      file("ca.crt"),
      "-CAkey",
      file("ca.key"),
      "-CAcreateserial",
      "-days",
      "1",
      "-extfile",
      file(`${name}.ext`),
      "-out",
      file(`${name}.crt`),
    );
    return { chain: file(`${name}.crt`), key: file(`${name}.key`) };
  };
  return {
    folder,
    ca: file("ca.crt"),
    server: leaf("server", serverSubjectAltName, "serverAuth"),
    client: leaf("client", undefined, "clientAuth"),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
