// What the tests need in dist/, without the .d.ts step (about 20 s of a 25 s build; the
// types belong to packing: `npm run build`, `prepack`): the views, the bundle and the
// library chunks, dist/tools.json. The generated published schemas are not rewritten: the
// tests check them. NECTAR_SKIP_BUILD=1 skips it all, for CI, which builds once at the top.
//
//   node scripts/build-fast.mjs
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";

if (process.env.NECTAR_SKIP_BUILD === "1") {
  process.stderr.write("build:fast: skipped (NECTAR_SKIP_BUILD=1): using dist/ as it is\n");
} else {
  const run = (command, args, env = {}) =>
    execFileSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  const bin = (name) => `node_modules/.bin/${name}`;
  rmSync("dist", { recursive: true, force: true });
  run(bin("tsx"), ["scripts/build-views.ts"]);
  run(bin("tsup"), [], { NECTAR_NO_DTS: "1" });
  run(bin("tsx"), ["scripts/tool-docs.ts", "--manifest"]);
}
