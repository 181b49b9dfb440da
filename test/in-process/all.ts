// npm test runs these files in one process: none starts a child process or changes the
// environment, and on Node 20 each test process costs about 1.4 s of CPU to start (the
// loader hooks, docs/development.md): 23 of these files took 51 s of CPU apart, 14 s together.
// One file alone: npm run test:one -- test/in-process/<file>.test.ts
import { readdirSync } from "node:fs";

for (const file of readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".test.ts"))
  .sort()) {
  await import(`./${file}`);
}
