// npm test runs these files in one process: none starts a child process or changes the
// environment (23 of them took 51 s of CPU apart, 14 s together).
// One file alone: npm run test:one -- test/in-process/<file>.test.ts
import { importTestFiles } from "../helpers/test-folder.ts";

await importTestFiles(new URL(".", import.meta.url));
