// npm test runs the per-tool test files in one process: on Node 20 each test process costs
// about 1.4 s of CPU to start (the loader hooks, docs/development.md), and each of these
// starts its own simulator: 17 files took 44 s of CPU apart, 7 s together.
// One file alone: npm run test:one -- test/tools/<tool>.test.ts
import { readdirSync } from "node:fs";

for (const file of readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".test.ts"))
  .sort()) {
  await import(`./${file}`);
}
