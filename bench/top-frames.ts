// Summarize a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and
// self time by package / source folder. For finding what dominates a missed bench target:
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/run.ts --only 1
//   npx tsx bench/top-frames.ts /tmp/prof/*.cpuprofile [--top 25]
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Where a frame's code lives: an npm package, a folder of ours, or a V8/Node bucket. */
function bucket(url: string, name: string): string {
  if (!url) return name.startsWith("(") ? name : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return "node:internal";
  const ours = /\/(lib\/[^/]+|servers|bench|test|dist)\//.exec(url);
  return ours ? ours[1]! : url;
}

function summarize(file: string, top: number): void {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const buckets = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const key = `${functionName || "(anonymous)"} ${url ? `${url.replace(/^file:\/\/.*?\/(node_modules|lib|servers|bench|dist)\//, "$1/")}:${lineNumber + 1}` : ""}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const b = bucket(url, functionName);
    buckets.set(b, (buckets.get(b) ?? 0) + us);
  }
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (id: number) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    return `${functionName || "(anonymous)"} ${url ? `${url.replace(/^file:\/\/.*?\/(node_modules|lib|servers|bench|dist)\//, "$1/")}:${lineNumber + 1}` : ""}`;
  };
  const inclusive = new Map<string, number>();
  profile.samples.forEach((leaf, i) => {
    const seen = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) seen.add(keyOf(id));
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  process.stdout.write(`\n${file}: ${(total / 1000).toFixed(0)} ms sampled\n\nself time by package/folder:\n`);
  for (const [b, us] of [...buckets].sort((a, b) => b[1] - a[1]).slice(0, top))
    process.stdout.write(`  ${pct(us)}  ${b}\n`);
  process.stdout.write(`\ntop functions by self time:\n`);
  for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top))
    process.stdout.write(`  ${pct(us)}  ${k}\n`);
  process.stdout.write(`\ntop functions by inclusive time (our code, the SDK, zod, ky, hono):\n`);
  const interesting = /^(\S+) (lib\/|servers\/|node_modules\/(@modelcontextprotocol|zod|ky|hono|@hono))/;
  for (const [k, us] of [...inclusive]
    .filter(([k]) => interesting.test(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)) {
    process.stdout.write(`  ${pct(us)}  ${k}\n`);
  }
}

const args = process.argv.slice(2);
const topAt = args.indexOf("--top");
const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
const files = args.filter((a, i) => a !== "--top" && (topAt < 0 || i !== topAt + 1));
if (!files.length) {
  process.stderr.write("usage: tsx bench/top-frames.ts file.cpuprofile... [--top N]\n");
  process.exit(2);
}
for (const file of files) summarize(file, top);
