import { connect, startDxp, textOf } from "./in-process.ts";
const dxp = await startDxp(20000);
const mcp = await connect(dxp, "default");
const calls = JSON.parse(process.argv[2]) as [string, Record<string, unknown>][];
for (const [name, args] of calls) {
  const r = await mcp.call(name, args);
  console.log(`\n### ${name} ${JSON.stringify(args)}${r.isError ? " [ERROR]" : ""}\n${textOf(r)}`);
}
await mcp.close(); process.exit(0);
