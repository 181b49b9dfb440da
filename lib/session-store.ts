// 2025-era sessions and set_session_filter's handles: the store contracts of
// store/interfaces.ts over the session's own state and filter.
import type { SessionFilter } from "./filter.ts";
import type { SessionState } from "./session.ts";
import type * as stores from "./store/interfaces.ts";

export type SessionStore = stores.SessionStore<SessionState>;
export type FilterStore = stores.FilterStore<SessionFilter>;
export type { Stores } from "./store/interfaces.ts";
