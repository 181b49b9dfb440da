// The README's Deno commands, run as written (through a shell, as a reader pastes them) on
// a loopback ephemeral port: each starts, lists the tools over HTTP, and stops.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { allTools } from "../lib/tools/index.ts";

/** The `npx deno …` lines of the README's Deno section, without their comments. */
function denoCommands(): string[] {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const section = readme.slice(
    readme.indexOf("\n## Deno\n"),
    readme.indexOf("\n## ", readme.indexOf("\n## Deno\n") + 1),
  );
  return [...section.matchAll(/^(npx deno [^#\n]*?)\s*(#.*)?$/gm)].map((m) => m[1]!);
}

const START_MS = 90_000; // a cold Deno cache transpiles the sources first: a hang guard, not a speed check
const started: ChildProcess[] = [];

function start(command: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn("sh", ["-c", command], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      FASTMCP_HOST: "127.0.0.1",
      FASTMCP_PORT: "0",
      DENO_NO_UPDATE_CHECK: "1",
      NO_COLOR: "1",
      ...(process.env.DENO_DIR ? { DENO_DIR: process.env.DENO_DIR } : {}),
    },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true, // its own process group: npx, sh and deno stop together
  });
  started.push(child);
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`"${command}" printed no port within ${START_MS} ms:\n${stderr}`)),
      START_MS,
    );
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const port = /listening on 127\.0\.0\.1:(\d+)/.exec(stderr)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${port}`, child });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`"${command}" exited (${code}) before listening:\n${stderr}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  process.kill(-child.pid!, "SIGKILL");
  return exited;
}

after(async () => {
  for (const child of started) await stop(child);
});

describe("the README's Deno commands", () => {
  const commands = denoCommands();

  it("are there to run", () => {
    assert.equal(commands.length, 2, commands.join("\n"));
    assert.ok(commands.some((c) => c.endsWith("--demo")));
  });

  for (const command of commands) {
    it(`"${command}" starts, lists the tools over HTTP and stops`, async () => {
      const { url, child } = await start(command);
      try {
        const response = await fetch(`${url}/mcp`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
        });
        const body = await response.text();
        assert.equal(response.status, 200, body);
        const json = JSON.parse(body.startsWith("{") ? body : (/^data: (.*)$/m.exec(body)?.[1] ?? "{}")) as {
          result?: { tools: { name: string }[] };
        };
        assert.deepEqual(json.result?.tools.map((t) => t.name).sort(), allTools.map((t) => t.name).sort());
      } finally {
        await stop(child);
      }
    });
  }
});
