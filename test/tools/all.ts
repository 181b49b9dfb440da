// npm test runs the per-tool test files in one process: each of them starts its own
// simulator (17 files took 44 s of CPU apart, 7 s together).
// One file alone: npm run test:one -- test/tools/<tool>.test.ts
import { importTestFiles } from "../helpers/test-folder.ts";

await importTestFiles(new URL(".", import.meta.url));
