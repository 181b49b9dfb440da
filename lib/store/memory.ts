// The default stores for one process.
import type { Stores } from "./interfaces.ts";
import { MemoryAnswerStore, type MemoryAnswerStoreOptions } from "./memory-answer-store.ts";
import { MemorySessionStore, type MemorySessionStoreOptions } from "./memory-session-store.ts";
import { MemoryTokenStore } from "./memory-token-store.ts";

export function memoryStores(options: { sessions?: MemorySessionStoreOptions; answers?: MemoryAnswerStoreOptions } = {}): Stores {
  return {
    tokens: new MemoryTokenStore(),
    sessions: new MemorySessionStore(options.sessions),
    answers: new MemoryAnswerStore(options.answers),
  };
}

export { MemoryAnswerStore, MemorySessionStore, MemoryTokenStore };

