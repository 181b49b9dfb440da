import { defineConfig } from "tsup";
import { serverBundleOptions } from "./scripts/server-bundle.ts";

// The npm package: the library (root, ./tools and ./simulator subpaths, with types), and the
// bin as one bundled file with its dependencies (scripts/server-bundle.ts, as the MCP Bundle).
export default defineConfig([
  {
    entry: {
      "lib/index": "lib/index.ts",
      "lib/tools-api": "lib/tools-api.ts",
      "lib/simulator/index": "lib/simulator/index.ts",
    },
    format: ["esm"],
    target: "node20",
    platform: "node",
    splitting: true,
    // NECTAR_NO_DTS=1: scripts/build-fast.mjs, the tests' build (the types are for packing).
    dts: process.env.NECTAR_NO_DTS === "1" ? false : { entry: { "lib/index": "lib/index.ts", "lib/tools-api": "lib/tools-api.ts", "lib/simulator/index": "lib/simulator/index.ts" } },
    // Both builds write into dist/ at once: `npm run build` empties it first instead.
    clean: false,
    sourcemap: false,
  },
  {
    ...serverBundleOptions({ "servers/cli": "servers/cli.ts" }, "dist", true),
    // Only the bundle itself in dist/ (the metafile is for the MCP Bundle's import check).
    metafile: false,
    clean: false,
  },
]);
