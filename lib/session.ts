// What one MCP session remembers between calls. Behind a store interface so that a
// shared store can back several replicas later; the in-memory store is the default.
import type { PartialCredentials } from "./connection.ts";
import type { SessionFilter } from "./filter.ts";
import { freshSession } from "./store/interfaces.ts";

export interface SessionState {
  filter: SessionFilter;
  /** Set by configure_connection; overrides headers and environment for this session. */
  credentials?: PartialCredentials;
  /** The DXP URL (normalized) the configure_connection tokens were set for: they go nowhere else. */
  credentialsUrl?: string;
}

export const newSessionState = (): SessionState => freshSession();
