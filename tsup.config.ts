import { defineConfig } from "tsup";
import { NODE_TARGET, serverBundleOptions, VIEWS_MODULE } from "./scripts/server-bundle.ts";

// The npm package: the library (root, ./tools and ./simulator subpaths, with types), and the
// bin as one bundled file with its dependencies (scripts/server-bundle.ts, as the MCP Bundle).
export default defineConfig([
  {
    entry: {
      "lib/index": "lib/index.ts",
      "lib/tools-api": "lib/tools-api.ts",
      "lib/simulator/index": "lib/simulator/index.ts",
      // The views' HTML at a fixed name, which the bin imports too (one copy in the package).
      [VIEWS_MODULE]: "lib/apps/generated/views-html.ts",
    },
    format: ["esm"],
    target: NODE_TARGET,
    platform: "node",
    splitting: true,
    // NECTAR_NO_DTS=1: scripts/build-fast.mjs, the tests' build (the types are for packing).
    dts:
      process.env.NECTAR_NO_DTS === "1"
        ? false
        : {
            entry: {
              "lib/index": "lib/index.ts",
              "lib/tools-api": "lib/tools-api.ts",
              "lib/simulator/index": "lib/simulator/index.ts",
            },
          },
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
