// One DxpClient per credential (URL + tokens), so a credential's renewed tokens are
// reused by its later calls and never by anyone else's. Bounded: least recently used
// clients are dropped past `max`.
import { type ClientOptions, DxpClient } from "../client/client.ts";
import { credentialKey, type DxpCredentials } from "../client/credentials.ts";

export class ClientPool {
  readonly #clients = new Map<string, DxpClient>();

  constructor(
    private readonly options: ClientOptions = {},
    private readonly max = 1000,
  ) {}

  async get(credentials: DxpCredentials): Promise<DxpClient> {
    const key = credentialKey(credentials);
    let client = this.#clients.get(key);
    if (client) {
      this.#clients.delete(key); // re-insert: Map order is our recency order
    } else {
      client = new DxpClient(credentials, this.options);
    }
    this.#clients.set(key, client);
    if (this.#clients.size > this.max) this.#clients.delete(this.#clients.keys().next().value!);
    return client;
  }

  get size(): number {
    return this.#clients.size;
  }
}
