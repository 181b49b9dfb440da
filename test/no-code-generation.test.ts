// lib/ claims to run where code generation from strings is forbidden (edge runtimes, a CSP
// without 'unsafe-eval'): nothing on a tool call's path may compile a JSON Schema with
// `new Function` (as Ajv does). Checked in a child process where V8 refuses it.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { TOOL_COUNT } from "./helpers/registry.ts";

const child = fileURLToPath(new URL("./helpers/no-code-generation-child.ts", import.meta.url));

describe("lib/ without code generation from strings", () => {
  it("lists the tools and answers a tool call, with no JSON Schema compiled by new Function", async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["--disallow-code-generation-from-strings", "--import", "tsx", child],
        { timeout: 120_000 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    const got = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
      codeGeneration: string;
      tools: number;
      call: { isError?: boolean; structuredContent?: { totalSessions: number } };
    };
    assert.equal(got.codeGeneration, "refused", "sanity: the guard is on");
    assert.equal(got.tools, TOOL_COUNT);
    assert.equal(got.call.isError, undefined, JSON.stringify(got.call));
    assert.ok(got.call.structuredContent!.totalSessions > 0);
  });
});
