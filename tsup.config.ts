import { defineConfig } from "tsup";

// The npm bundle: the library (root, ./tools and ./simulator subpaths, with types) and the bin.
// Shell modules are split into chunks that the bin loads only when used.
export default defineConfig({
  entry: {
    "lib/index": "lib/index.ts",
    "lib/tools/api": "lib/tools/api.ts",
    "lib/simulator/index": "lib/simulator/index.ts",
    "servers/cli": "servers/cli.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  splitting: true,
  dts: { entry: { "lib/index": "lib/index.ts", "lib/tools/api": "lib/tools/api.ts", "lib/simulator/index": "lib/simulator/index.ts" } },
  clean: true,
  sourcemap: false,
});
