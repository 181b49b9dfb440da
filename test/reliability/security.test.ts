// The security findings of issue 9, one report line each: runs the regression tests in
// test/security-*.test.ts (all on loopback) and says, per finding, how many of its tests
// pass. The tests themselves are what fails CI; this file makes the report say so too.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { markStarted, saveResult } from "./helpers.ts";

/** Each finding, what fixed it, and the tests (file and name pattern) that pin it. */
const FINDINGS: { id: string; what: string; fix: string; tests: [file: string, name: RegExp][] }[] = [
  {
    id: "1",
    what: "credentials lost to a junk-token flood",
    fix: "renewed tokens in the token store, operator pinned",
    tests: [["credentials", /1,050 calls with junk tokens/]],
  },
  {
    id: "2",
    what: "SSRF through a redirect or DNS",
    fix: "redirects refused, resolved addresses checked (Node)",
    tests: [["redirect-ssrf", /./]],
  },
  {
    id: "3",
    what: "session id as a bearer credential",
    fix: "sessions bound to their creator, configure_connection tokens to their URL",
    tests: [["sessions", /same 404|never sent to a URL/]],
  },
  {
    id: "4",
    what: "unbounded memory, refresh race between spellings",
    fix: "normalized keys, idle clients expire, answers bounded by bytes",
    tests: [
      ["credentials", /spellings/],
      ["bounds", /byte budget/],
    ],
  },
  {
    id: "5",
    what: "unbounded upstream work",
    fix: "batch caps, global and per-caller limits with a busy error, cancellation passed down",
    tests: [["bounds", /batch of 100|global bound|busy|cancels/]],
  },
  {
    id: "6",
    what: "upstream text echoing tokens",
    fix: "every token of the credential and any JWT redacted",
    tests: [["redaction", /./]],
  },
  {
    id: "7",
    what: "spent token pair keeps working",
    fix: "original pair honoured only within its access token's lifetime",
    tests: [["credentials", /original pair/]],
  },
  {
    id: "8",
    what: "Low: JWT exp 1e300, IPv6 URL, batched initialize, resources vs NECTAR_TOOLS, initialize flood",
    fix: "each fixed",
    tests: [
      ["low", /readable expiry|client-named URLs on the allow-list|NECTAR_TOOLS/],
      ["sessions", /in a batch|floods/],
    ],
  },
  {
    id: "9",
    what: "get_connection_status to anonymous callers",
    fix: "operator URL withheld over HTTP (documented)",
    tests: [["low", /withholds the operator|URL it sent|over stdio/]],
  },
  {
    id: "18.1",
    what: "an anonymous caller pins gigabytes of filters",
    fix: "byte budgets from the heap: per caller, header-less callers together, in total; identical filter, same handle",
    tests: [["budgets", /budgets per caller|the same caller saving|bounded by bytes/]],
  },
  {
    id: "18.2",
    what: "a filter flood on Redis loses renewed tokens",
    fix: "caller-made records under Redis quotas, start refused on a too small maxmemory, Redis session cap",
    tests: [["redis", /maxmemory 4mb|refuses a maxmemory|caps live sessions/]],
  },
  {
    id: "18.5",
    what: "a header-less session is a bearer credential",
    fix: "header-less sessions keep no credentials and no filter",
    tests: [["budgets", /anonymous B presenting A's id/]],
  },
  {
    id: "18.6r",
    what: "Low (Redis): weak store secret, garbage record 500, no Redis password",
    fix: "variety check at start, garbage reads as missing, requirepass in redis.yaml",
    tests: [
      ["budgets", /low variety/],
      ["redis", /garbage/],
    ],
  },
  // Issue 18 (round 2), the upstream side: test/security-upstream.test.ts, docs/security.md "Hostile upstream".
  {
    id: "18.3",
    what: "did you mean freezes the loop; 2 GETs per unknown user",
    fix: "a work budget per call, at most 10 user searches",
    tests: [["upstream", /fixed budget|one budget per call|USER_LOOKUPS/]],
  },
  {
    id: "18.4",
    what: "a large DXP answer or token exhausts memory",
    fix: "page trimmed before mapping, body limit from the heap, text and tokens bounded",
    tests: [["upstream", /trimmed to the page|name of 1 MB|never stored|heap/]],
  },
  {
    id: "18.6a",
    what: "Low: raw upstream text (ANSI, newlines, bidi), forged log lines",
    fix: "control characters escaped, bidi dropped, one line per record",
    tests: [["upstream", /escaped|forge a log line/]],
  },
  {
    id: "18.6b",
    what: "Low: redaction after the cut, other encodings",
    fix: "redact first, every spelling",
    tests: [["upstream", /before the cut/]],
  },
  {
    id: "18.6c",
    what: "Low: sessionId/userId of ..",
    fix: ". and .. refused where path values are encoded",
    tests: [["upstream", /refused before any request, instead of GET/]],
  },
  {
    id: "18.6d",
    what: "Low: body-trickling sockets held 300 s",
    fix: "headers 10 s, request 30 s",
    tests: [["upstream", /408/]],
  },
  {
    id: "18.6e",
    what: "Low: oversize stdio line exits 0 silently",
    fix: "a message on stderr, exit 1",
    tests: [["upstream", /non-zero exit/]],
  },
  {
    id: "18.6f",
    what: "Low: WireServer, EKS Pod Identity, link-local accepted",
    fix: "refused by the URL policy",
    tests: [["upstream", /WireServer|EKS Pod Identity|private DXP/]],
  },
  {
    id: "18.7",
    what: "tests could leave loopback",
    fix: ".ci/run runs Node under the loopback guard",
    tests: [["upstream", /loopback guard/]],
  },
];

describe("security findings (issue 9)", () => {
  const outcomes: { file: string; name: string; ok: boolean }[] = [];
  after(() => {
    const lines = FINDINGS.map((finding) => {
      const mine = outcomes.filter((o) => finding.tests.some(([file, name]) => o.file === file && name.test(o.name)));
      const passed = mine.filter((o) => o.ok).length;
      return `security finding ${finding.id} (${finding.what}): ${passed === mine.length && mine.length > 0 ? "fixed" : "OPEN"} — ${finding.fix}; ${passed}/${mine.length} tests pass (${[...new Set(finding.tests.map(([f]) => `security-${f}.test.ts`))].join(", ")})`;
    });
    saveResult({ file: "security", lines });
  });

  it("every finding's regression tests pass", async () => {
    markStarted("security");
    // The findings' files: those that start children in test/, the others in test/in-process/.
    const dirs = [join(import.meta.dirname, ".."), join(import.meta.dirname, "..", "in-process")];
    const files = dirs.flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => /^security-.*\.test\.ts$/.test(f))
        .map((f) => join(dir, f)),
    );
    assert.ok(files.length >= 7, "the security test files are there");
    // One child per file, one after another (node:test's run() does nothing inside a test file).
    for (const file of files) outcomes.push(...(await runFile(file)));
    const failed = outcomes.filter((o) => !o.ok);
    assert.deepEqual(failed, []);
    for (const finding of FINDINGS) {
      assert.ok(
        outcomes.some((o) => finding.tests.some(([file, name]) => o.file === file && name.test(o.name))),
        `finding ${finding.id} has tests`,
      );
    }
  });
});

/** The leaf tests of one file, passed or failed, from its TAP output. */
async function runFile(path: string): Promise<{ file: string; name: string; ok: boolean }[]> {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT; // run as a test runner of its own, not as our child
  const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-reporter=tap", path], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let tap = "";
  child.stdout.on("data", (chunk: Buffer) => (tap += chunk.toString()));
  await new Promise((resolve) => child.on("close", resolve));
  const out: { file: string; name: string; ok: boolean }[] = [];
  const lines = tap.split("\n");
  lines.forEach((line, i) => {
    const m = /^\s*(not )?ok \d+ - (.*)$/.exec(line);
    if (!m) return;
    const block = lines.slice(i + 1, i + 8).join("\n");
    if (/type: 'suite'/.test(block.split("...")[0] ?? "")) return; // a describe, not a test
    out.push({ file: fileOf(path), name: m[2]!, ok: !m[1] });
  });
  return out;
}

const fileOf = (path: string | undefined) => (path ?? "").replace(/^.*security-(.*)\.test\.ts$/, "$1");
