import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { credentials, ServerCredentials } from "@grpc/grpc-js";
import { checkTls, Client, resolveConfig, SwinserveError, tlsCredentials } from "../../src/index.js";
import { makeCertificates, type TestCertificates } from "../support/certificates.js";
import { FakeClassifier } from "../support/fakeClassifier.js";

const image = new Uint8Array([1]);

describe("TLS options", () => {
  test("plaintext is the default: no tls in the config, insecure credentials", () => {
    assert.equal("tls" in resolveConfig(), false);
    assert.equal(tlsCredentials(undefined)._isSecure(), false);
  });

  test("the three paths are kept as given; absent ones stay absent", () => {
    assert.deepEqual(checkTls({ trustedCas: "ca.pem", certChain: "c.pem", privateKey: "k.pem" }), {
      trustedCas: "ca.pem",
      certChain: "c.pem",
      privateKey: "k.pem",
    });
    assert.deepEqual(checkTls({ trustedCas: "ca.pem", certChain: undefined }), { trustedCas: "ca.pem" });
    assert.deepEqual(resolveConfig({ tls: {} }).tls, {}); // TLS trusting Node's default CAs
  });

  test("half a client certificate is refused, naming the half given", () => {
    assert.throws(() => resolveConfig({ tls: { trustedCas: "ca.pem", certChain: "c.pem" } }), {
      name: "TypeError",
      message: "a client certificate needs both tls.certChain and tls.privateKey, got only certChain",
    });
    assert.throws(() => checkTls({ privateKey: "k.pem" }), {
      name: "TypeError",
      message: /needs both tls.certChain and tls.privateKey, got only privateKey/,
    });
  });

  for (const [tls, complaint] of [
    [{ trustedCas: " " }, /tls.trustedCas must be the path of a PEM file/],
    [{ certChain: 3, privateKey: "k.pem" }, /tls.certChain must be the path of a PEM file, was 3/],
    [{ caFile: "ca.pem" }, /unknown tls option caFile/],
    [null, /tls must be an object/],
    ["ca.pem", /tls must be an object/],
  ] as const) {
    test(`refuses tls ${JSON.stringify(tls)}`, () => {
      assert.throws(() => resolveConfig({ tls: tls as never }), { name: "TypeError", message: complaint });
    });
  }

  test("tls and credentials together are refused", () => {
    assert.throws(() => resolveConfig({ tls: {}, credentials: credentials.createInsecure() }), {
      name: "TypeError",
      message: "give tls or credentials, not both",
    });
  });

  test("a file that cannot be read is named, and so is the option", () => {
    assert.throws(() => new Client("127.0.0.1:1", { tls: { trustedCas: "/no/such/ca.pem" } }), {
      message: /cannot read tls.trustedCas \/no\/such\/ca.pem: ENOENT/,
    });
  });

  describe("with certificates made by openssl", () => {
    let certificates: TestCertificates;
    before(() => {
      certificates = makeCertificates("DNS:localhost");
    });
    after(() => certificates.remove());

    test("a file that is not PEM is refused when the client is made", () => {
      const junk = join(certificates.folder, "junk.pem");
      writeFileSync(junk, "not a certificate\n");
      assert.throws(
        () => new Client("localhost:1", { tls: { certChain: junk, privateKey: certificates.client.key } }),
        { message: /TLS files .* are not usable/ },
      );
    });

    test("a certificate and a key that do not belong together are refused", () => {
      assert.throws(
        () =>
          tlsCredentials(
            checkTls({ certChain: certificates.client.chain, privateKey: certificates.server.key }),
          ),
        { message: /are not usable/ },
      );
    });

    describe("against a server that requires a client certificate", () => {
      let fake: FakeClassifier;
      before(async () => {
        const credentialsOfServer = ServerCredentials.createSsl(
          readFileSync(certificates.ca),
          [
            {
              cert_chain: readFileSync(certificates.server.chain),
              private_key: readFileSync(certificates.server.key),
            },
          ],
          true,
        );
        fake = await FakeClassifier.start({}, 0, credentialsOfServer);
      });
      after(() => fake.stop());

      const mutual = () => ({
        trustedCas: certificates.ca,
        certChain: certificates.client.chain,
        privateKey: certificates.client.key,
      });

      test("every endpoint of a static list speaks mutual TLS, each checked against its host name", async () => {
        const port = fake.boundPort;
        const client = new Client(`localhost:${port},localhost:${port}`, { tls: mutual() });
        try {
          for (let call = 0; call < 4; call++) {
            const answer = await client.classify([image], { model: "m" });
            assert.equal(answer.model?.version, 1n);
          }
          assert.equal(client.breakers().length, 2);
          assert.ok(client.breakers().every((breaker) => breaker.state === "CLOSED"));
          assert.equal(fake.unaryCalls, 4);
        } finally {
          client.close();
        }
      });

      // Each with what the failure says, where the client itself decides.
      const failures: [string, () => { target: string; tls?: object }, RegExp][] = [
        // The certificate names localhost only: dialled by address, the name check fails.
        [
          "an address the certificate does not name",
          () => ({ target: `127.0.0.1:${fake.boundPort}`, tls: mutual() }),
          /IP: 127.0.0.1 is not in the cert's list/,
        ],
        [
          "no client certificate",
          () => ({ target: `localhost:${fake.boundPort}`, tls: { trustedCas: certificates.ca } }),
          /./,
        ],
        [
          "Node's default CAs",
          () => ({ target: `localhost:${fake.boundPort}`, tls: {} }),
          /self-signed certificate in certificate chain/,
        ],
        ["plaintext", () => ({ target: `localhost:${fake.boundPort}` }), /./],
      ];
      for (const [name, setting, says] of failures) {
        test(`${name}: UNAVAILABLE`, async () => {
          const { target, tls } = setting();
          const calls = fake.unaryCalls;
          const client = new Client(target, { retry: { maxAttempts: 1 }, ...(tls ? { tls } : {}) });
          try {
            await assert.rejects(client.classify([image], { model: "m", deadlineMs: 5000 }), (failure) => {
              assert.ok(failure instanceof SwinserveError, String(failure));
              assert.equal(failure.codeName, "UNAVAILABLE", failure.message);
              assert.match(failure.details, says);
              return true;
            });
            assert.equal(fake.unaryCalls, calls, "the server answered a call it should never have seen");
          } finally {
            client.close();
          }
        });
      }
    });
  });
});
