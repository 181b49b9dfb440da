// One DxpClient per credential (normalized URL + tokens), looked up by a keyed hash of the
// credential. Clients are cheap to rebuild: what must survive lives in the stores they
// share (renewed tokens, cached answers), so the pool can be bounded and idle clients
// dropped without losing a token rotation. The operator's own credential is pinned:
// never evicted, whatever callers send.
import { LRUCache } from "lru-cache";
import type { ClientOptions, DxpClient } from "../client/client.ts";
import { type DxpCredentials, normalizeUrl } from "../client/credentials.ts";
import { UpstreamLimiter } from "../security/upstream-limiter.ts";
import type { Budgets } from "../store/budgets.ts";
import { CredentialKeys } from "../store/credential-keys.ts";
import type { AnswerStore, TokenStore } from "../store/interfaces.ts";
import { MemoryAnswerStore } from "../store/memory-answer-store.ts";
import { MemoryTokenStore } from "../store/memory-token-store.ts";

export interface PoolOptions extends ClientOptions {
  /** Fetch for URLs a client named (the Node shell's refuses private resolved addresses). Default: `fetch`. */
  clientNamedFetch?: typeof fetch;
  keys?: CredentialKeys;
  /** Most pooled clients (besides the pinned operator's). Default 1 000. */
  maxClients?: number;
  /** Idle time after which a client is dropped. Default 30 min. */
  clientIdleMs?: number;
  /** Byte budgets of the in-memory token and answer stores (when none is given). Default: from the heap (budgets.ts). */
  budgets?: Pick<Budgets, "answerBytes" | "tokenBytes">;
}

export interface ClientRequest {
  /** The operator's own credential (environment or demo): pinned, renewals used without limit. */
  operator?: boolean;
  /** The URL came from a client (headers, configure_connection). */
  namedByClient?: boolean;
}

/**
 * The client module, loaded on the first call and kept: a first tools/list needs neither the
 * client nor ky and the answer schemas, and each import() after the first would still pay
 * a trip through the module loader.
 */
let clientModule: Promise<typeof import("../client/client.ts")> | undefined;
const loadClient = () => (clientModule ??= import("../client/client.ts"));

export class ClientPool {
  readonly #clients: LRUCache<string, DxpClient>;
  readonly #pinned = new Map<string, DxpClient>();
  readonly #given: ClientOptions;
  readonly #clientNamedFetch: typeof fetch | undefined;
  readonly #budgets: PoolOptions["budgets"];
  readonly keys: CredentialKeys;
  #tokens?: TokenStore;
  #answers?: AnswerStore;
  #limiter?: UpstreamLimiter;

  constructor(options: PoolOptions = {}) {
    const { clientNamedFetch, keys, maxClients, clientIdleMs, budgets, ...clientOptions } = options;
    this.#budgets = budgets;
    this.keys = keys ?? new CredentialKeys();
    this.#given = clientOptions;
    this.#clientNamedFetch = clientNamedFetch;
    this.#clients = new LRUCache({ max: maxClients ?? 1000, ttl: clientIdleMs ?? 30 * 60_000, updateAgeOnGet: true });
  }

  // The stores are built on first use, not at start: the in-memory ones size their tables
  // up front (about 10 ms), which a server's first tools/list does not need.
  get tokens(): TokenStore {
    return (this.#tokens ??= this.#given.tokenStore ?? new MemoryTokenStore({ maxBytes: this.#budgets?.tokenBytes }));
  }

  get answers(): AnswerStore {
    return (this.#answers ??=
      this.#given.answerStore ?? new MemoryAnswerStore({ now: this.#given.now, maxBytes: this.#budgets?.answerBytes }));
  }

  get limiter(): UpstreamLimiter {
    return (this.#limiter ??= this.#given.limiter ?? new UpstreamLimiter());
  }

  get #options(): ClientOptions {
    return { ...this.#given, tokenStore: this.tokens, answerStore: this.answers, limiter: this.limiter };
  }

  /** The key a credential goes by in every store. */
  credentialKey(credentials: DxpCredentials): Promise<string> {
    return this.keys.derive(normalizeUrl(credentials.url), credentials.accessToken, credentials.refreshToken);
  }

  async get(credentials: DxpCredentials, request: ClientRequest = {}): Promise<DxpClient> {
    const key = await this.credentialKey(credentials);
    const { DxpClient } = await loadClient();
    const slot = `${request.operator ? "operator" : request.namedByClient ? "named" : "client"}:${key}`;
    const existing = request.operator ? this.#pinned.get(slot) : this.#clients.get(slot);
    if (existing) return existing;
    const fetch = request.namedByClient ? (this.#clientNamedFetch ?? this.#options.fetch) : this.#options.fetch;
    const client = new DxpClient(credentials, { ...this.#options, fetch }, { key, operator: request.operator });
    if (request.operator) this.#pinned.set(slot, client);
    else this.#clients.set(slot, client);
    return client;
  }

  get size(): number {
    return this.#clients.size + this.#pinned.size;
  }
}
