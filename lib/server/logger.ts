// Moved to ../logger.ts (every layer logs, so it sits below them all). Kept only for
// http/mcp-handler.ts, which another change is editing: point it at ../logger.ts, then delete this file.
export type { Logger } from "../logger.ts";
