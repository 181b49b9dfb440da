import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { startHarness, textOf } from "../test/helpers/harness.ts";
const h = await startHarness({ now: () => Date.UTC(2025, 5, 12, 10, 30), simulator: { sessionsPerTenant: 20000 }, timeoutMs: 30000 });
const { tools } = await h.client.listTools();
console.log("tools/list", countTokens(JSON.stringify({ tools })));
const only = process.argv[2];
for (const t of tools) {
  if (only && t.name !== only) continue;
  const r = await h.call(t.name, t.name === "configure_connection" ? { domainName: "acme" } : {});
  const text = textOf(r); const s = JSON.stringify(r.structuredContent ?? "");
  console.log(t.name.padEnd(30), countTokens(text), countTokens(s), countTokens(text) + countTokens(s), r.isError ? "ERROR " + text : "");
  if (only) { console.log(text); console.log(s); }
}
await h.close();
