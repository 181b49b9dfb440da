// What the bundled server gives the SDK for its `@modelcontextprotocol/server/_shims` module
// (scripts/server-bundle.ts points it here; the SDK picks its own by export condition
// elsewhere). The SDK's Node shim brings Ajv (210 KB of the bundle, compiled at every start)
// for one job: checking a client's answer to an elicitation. This server asks no client for
// input, so the portable validator the SDK ships for workerd and browsers (40 KB) does that
// job here; node:process is the Node shim's own.
export { default as process } from "node:process";
export { CfWorkerJsonSchemaValidator as DefaultJsonSchemaValidator } from "@modelcontextprotocol/server/validators/cf-worker";
