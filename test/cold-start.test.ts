// Issue 13, cold start: a starting server answers tools/list with the JSON generated at build
// time, so it builds none of the tools' zod schemas (built on first use, lib/lazy-schema.ts).
// Its own file: the count is per process, and the first thing here is a cold tools/list.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { FILTER_KEYS, filterShape } from "../lib/filter.ts";
import { lazySchemaBuilds } from "../lib/lazy-schema.ts";
import { createServer } from "../lib/server/create-server.ts";
import { newSessionState } from "../lib/session.ts";
import { allTools } from "../lib/tools/index.ts";

describe("a cold start", () => {
  it("lists every tool with its arguments without building a tool schema, and the first call builds its own", async () => {
    assert.equal(lazySchemaBuilds(), 0, "importing the registry built a schema");
    const server = createServer({ session: newSessionState() });
    const client = new Client({ name: "cold", version: "1" });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    await client.connect(b);
    try {
      const { tools } = await client.listTools();
      assert.equal(tools.length, allTools.length);
      const users = tools.find((t) => t.name === "get_users")!;
      assert.ok("pageSize" in (users.inputSchema.properties ?? {}));
      assert.equal(lazySchemaBuilds(), 0, "tools/list built a tool schema");

      const result = await client.callTool({ name: "get_users", arguments: { pageSize: "ten" } });
      assert.equal(result.isError, true);
      assert.match(JSON.stringify(result.content), /pageSize/);
      assert.ok(lazySchemaBuilds() > 0, "validating a call built no schema");
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("builds each schema once: a tool's inputSchema is the same object on every read", () => {
    for (const tool of allTools) {
      assert.equal(tool.inputSchema, tool.inputSchema, tool.name);
      assert.equal(tool.outputSchema, tool.outputSchema, tool.name);
    }
  });

  it("names the filter's fields without building it, as the filter's schema has them", () => {
    assert.deepEqual([...FILTER_KEYS], Object.keys(filterShape()));
  });
});

describe("the bundled bin (dist/, built by npm test)", () => {
  it("carries neither Ajv nor zod's translations, which every start would compile and none use (scripts/server-bundle.ts)", () => {
    const files = [...readdirSync("dist").filter((name) => name.endsWith(".js")), "servers/cli.js"];
    const code = files.map((name) => readFileSync(`dist/${name}`, "utf8")).join("\n");
    assert.match(code, /Invalid input: expected/, "sanity: zod's English messages are bundled");
    assert.doesNotMatch(code, /Eingabe: erwartet/, "zod's German messages are bundled");
    assert.doesNotMatch(code, /Ajv2020/, "Ajv is bundled");
  });
});
