// Redaction lives with the logging contract on the ground floor (lib/logger.ts), so the
// logger and the DXP client cut secrets out the same way; this module names it for the
// floors above.
export { cleanText, REDACTED, redactSecrets } from "../logger.ts";
