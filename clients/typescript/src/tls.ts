import { readFileSync } from "node:fs";
import { credentials, type ChannelCredentials } from "@grpc/grpc-js";

/**
 * How the client speaks TLS to its servers; the Java client's ClientTls. Every path names a PEM
 * file, read once when the client is made. The server's certificate is checked against the host
 * name of each endpoint's address (a static list: each entry's own host).
 */
export interface TlsOptions {
  /** The CAs the server's certificate must chain to. Absent: Node's default CAs. */
  trustedCas?: string;
  /** The client's certificate chain, for mutual TLS; only with `privateKey`. */
  certChain?: string;
  /** The client's private key (PKCS#8 or the key's own PEM form); only with `certChain`. */
  privateKey?: string;
}

const NAMES = ["trustedCas", "certChain", "privateKey"] as const;

/**
 * `tls` checked and copied (frozen): only the three paths, each a non-blank string when given,
 * and a client certificate's chain and key both or neither.
 * @throws TypeError naming what is wrong
 */
export function checkTls(tls: TlsOptions): Readonly<TlsOptions> {
  if (tls === null || typeof tls !== "object" || Array.isArray(tls)) {
    throw new TypeError(`tls must be an object such as { trustedCas: "ca.pem" }, was ${String(tls)}`);
  }
  const checked: TlsOptions = {};
  for (const [name, value] of Object.entries(tls)) {
    if (!(NAMES as readonly string[]).includes(name)) {
      throw new TypeError(`unknown tls option ${name}; the options are ${NAMES.join(", ")}`);
    }
    if (value === undefined) {
      continue;
    }
    if (typeof value !== "string" || value.trim() === "") {
      throw new TypeError(`tls.${name} must be the path of a PEM file, was ${JSON.stringify(value)}`);
    }
    checked[name as (typeof NAMES)[number]] = value;
  }
  if ((checked.certChain === undefined) !== (checked.privateKey === undefined)) {
    throw new TypeError(
      "a client certificate needs both tls.certChain and tls.privateKey, got only " +
        (checked.certChain !== undefined ? "certChain" : "privateKey"),
    );
  }
  return Object.freeze(checked);
}

/**
 * The channel credentials for `tls`: plaintext when it is undefined, else TLS trusting its CAs
 * (Node's default CAs when it names none) and presenting its client certificate when it has one.
 * @throws Error naming the file that cannot be read or the PEM that is not usable
 */
export function tlsCredentials(tls: Readonly<TlsOptions> | undefined): ChannelCredentials {
  if (tls === undefined) {
    return credentials.createInsecure();
  }
  const read = (name: (typeof NAMES)[number]): Buffer | null => {
    const path = tls[name];
    if (path === undefined) {
      return null;
    }
    try {
      return readFileSync(path);
    } catch (cause) {
      throw new Error(`cannot read tls.${name} ${path}: ${(cause as Error).message}`, { cause });
    }
  };
  const trustedCas = read("trustedCas");
  const certChain = read("certChain");
  const privateKey = read("privateKey");
  try {
    return credentials.createSsl(trustedCas, privateKey, certChain);
  } catch (cause) {
    throw new Error(
      `the TLS files (${Object.values(tls).join(", ")}) are not usable: ${(cause as Error).message}`,
      { cause },
    );
  }
}
