// Keys that stand for a credential: HMAC-SHA-256 of its normalized parts under a secret,
// so a store (in memory or shared) never holds a raw token as a key and a key reveals
// nothing without the secret. The secret is random per process unless one is given (a
// shared store needs every replica to derive the same keys). Derivations are cached:
// the same credential arrives with every request.
import { LRUCache } from "lru-cache";

const encoder = new TextEncoder();

export class CredentialKeys {
  readonly #given: Uint8Array<ArrayBuffer> | undefined;
  /** Made on the first derivation: a server that only lists its tools never loads WebCrypto. */
  #secret: Promise<CryptoKey> | undefined;
  readonly #cache = new LRUCache<string, Promise<string>>({ max: 5000 });

  constructor(secret?: Uint8Array<ArrayBuffer>) {
    this.#given = secret;
  }

  #key(): Promise<CryptoKey> {
    const algorithm = { name: "HMAC", hash: "SHA-256" } as const;
    return (this.#secret ??= this.#given
      ? crypto.subtle.importKey("raw", this.#given, algorithm, false, ["sign"])
      : (crypto.subtle.generateKey(algorithm, false, ["sign"]) as Promise<CryptoKey>));
  }

  /** A stable hex key for these parts (order matters); "" parts stand for "absent". */
  derive(...parts: readonly (string | undefined)[]): Promise<string> {
    const text = JSON.stringify(parts.map((p) => p ?? ""));
    let key = this.#cache.get(text);
    if (!key) {
      key = this.#sign(text);
      this.#cache.set(text, key);
    }
    return key;
  }

  async #sign(text: string): Promise<string> {
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await this.#key(), encoder.encode(text)));
    let hex = "";
    for (const byte of mac) hex += byte.toString(16).padStart(2, "0");
    return hex;
  }
}
