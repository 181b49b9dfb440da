// Runs every *.test.ts file of a folder in this one process (npm test's entries
// test/in-process/all.ts and test/tools/all.ts): on Node 20 each test process costs about
// 1.4 s of CPU to start, docs/development.md.
import { readdirSync } from "node:fs";

export async function importTestFiles(folder: URL): Promise<void> {
  const files = readdirSync(folder).filter((f) => f.endsWith(".test.ts"));
  for (const file of files.sort()) await import(new URL(file, folder).href);
}
