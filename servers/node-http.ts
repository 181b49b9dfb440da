// Placeholder until the HTTP issue lands: MCP_TRANSPORT=http says so plainly.
import type { ServerConfig } from "../lib/config.ts";
import { ConfigError } from "../lib/config.ts";
import type { PartialCredentials } from "../lib/connection.ts";

export interface HttpOptions {
  config: ServerConfig;
  demo?: PartialCredentials;
  onClose?: () => Promise<void>;
}

export async function runHttp(_options: HttpOptions): Promise<void> {
  throw new ConfigError("The HTTP transport is not available in this build yet; use MCP_TRANSPORT=stdio.");
}
