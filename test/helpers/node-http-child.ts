// The Node HTTP shell in a child process with a short request deadline, for the
// trickling-socket test (test/security-upstream.test.ts). Args: port, request timeout ms.
import { readConfig } from "../../lib/config.ts";
import { runHttp } from "../../servers/node-http.ts";

const [port, timeout] = process.argv.slice(2);
const config = readConfig({ MCP_TRANSPORT: "http", FASTMCP_HOST: "127.0.0.1", FASTMCP_PORT: port });
await runHttp({ config, requestTimeoutMs: Number(timeout) });
