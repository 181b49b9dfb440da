// What a model pays for in every conversation, pinned per tool: the name, title,
// description, annotations and published input and output schemas, exactly as tools/list
// publishes them, one pretty JSON file each in test/fixtures/tools/ so a change shows up
// in review as a readable diff. Any difference, a missing file or a file for no tool fails;
// UPDATE_SNAPSHOTS=1 rewrites the folder (and removes files of tools that are gone).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { Tool as ListedTool } from "@modelcontextprotocol/sdk/types.js";
import { createServer } from "../../lib/server/create-server.ts";
import { newSessionState } from "../../lib/session.ts";
import { allTools } from "../../lib/tools/index.ts";

const FOLDER = new URL("../fixtures/tools/", import.meta.url);
const UPDATE = process.env.UPDATE_SNAPSHOTS === "1";
const fileOf = (name: string) => `${name}.json`;
const pretty = (tool: ListedTool) => `${JSON.stringify(tool, null, 2)}\n`;

describe("every tool's published surface, one file per tool", () => {
  let listed: ListedTool[];
  let close: () => Promise<void>;
  before(async () => {
    // A server with every tool of the registry, as a client would list them.
    const server = createServer({ session: newSessionState() });
    const client = new Client({ name: "surfaces", version: "1" });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    await client.connect(b);
    close = async () => (await client.close(), await server.close());
    listed = (await client.listTools()).tools;
    if (UPDATE) {
      mkdirSync(FOLDER, { recursive: true });
      for (const file of readdirSync(FOLDER)) if (file.endsWith(".json")) rmSync(new URL(file, FOLDER));
      for (const tool of listed) writeFileSync(new URL(fileOf(tool.name), FOLDER), pretty(tool));
    }
  });
  after(() => close?.());

  it("lists every registry tool", () => {
    assert.deepEqual(listed.map((t) => t.name).sort(), allTools.map((t) => t.name).sort());
  });

  for (const tool of allTools) {
    it(`${tool.name}: title, description, annotations and schemas as pinned in test/fixtures/tools/${fileOf(tool.name)}`, () => {
      const file = new URL(fileOf(tool.name), FOLDER);
      assert.ok(
        existsSync(file),
        `no ${fileOf(tool.name)} in test/fixtures/tools/: run with UPDATE_SNAPSHOTS=1 and review it`,
      );
      const entry = listed.find((t) => t.name === tool.name)!;
      assert.ok(
        entry.title && entry.description && entry.annotations && entry.inputSchema && entry.outputSchema,
        `${tool.name} publishes every part`,
      );
      assert.equal(
        pretty(entry),
        readFileSync(file, "utf8"),
        `${tool.name}: what tools/list publishes changed (UPDATE_SNAPSHOTS=1 to accept, then review the diff)`,
      );
    });
  }

  it("holds no file for a tool the registry does not have", () => {
    const names = new Set(allTools.map((t) => fileOf(t.name)));
    const extra = existsSync(FOLDER) ? readdirSync(FOLDER).filter((f) => !names.has(f)) : [];
    assert.deepEqual(extra, [], "files in test/fixtures/tools/ for no tool (UPDATE_SNAPSHOTS=1 removes them)");
  });
});
