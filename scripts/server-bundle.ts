// How the stdio/HTTP server is bundled into one ESM file with every dependency inlined:
// shared by the npm bin (tsup.config.ts → dist/servers/cli.js) and the MCP Bundle
// (mcpb/build.ts), so both start the same way. One file starts faster than Node resolving
// and reading a few hundred node_modules files (issue 13: cold start); modules a first
// tools/list does not need stay behind dynamic import() and are evaluated on first use.
import { fileURLToPath } from "node:url";
import type { Options } from "tsup";

type Plugin = NonNullable<Options["esbuildPlugins"]>[number];

/** The oldest Node the package supports (package.json engines), for the library and the bin alike. */
export const NODE_TARGET = "node22";

/**
 * Code a stdio start would compile and never run (issue 13: cold start), left out of the
 * bundle: Ajv, through the SDK's Node shim (servers/sdk-shims.ts says what stands in), and
 * zod's 40 translations of its error messages (290 KB), of which the server uses English, the
 * one zod itself installs. `z.locales` then holds only `en`.
 */
const leaveOutUnusedCode: Plugin = {
  name: "leave-out-unused-code",
  setup(build) {
    build.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({
      path: fileURLToPath(new URL("../servers/sdk-shims.ts", import.meta.url)),
    }));
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: "zod-locales", namespace: "zod-english-only" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-english-only" }, () => ({
      contents: 'export { default as en } from "zod/v4/locales/en.js";',
      resolveDir: fileURLToPath(new URL("..", import.meta.url)),
    }));
  },
};

/** Where the library build (tsup.config.ts) writes the views' HTML module, under dist/. */
export const VIEWS_MODULE = "views-html";

/**
 * The split bin reads the views' HTML (~900 KB) from the library's own dist/views-html.js
 * instead of a second copy of its own (issue 19: the package shipped the views twice). Split
 * chunks sit at dist/'s root beside it. The one-file MCP Bundle inlines them as before.
 */
const shareLibraryViews: Plugin = {
  name: "share-library-views",
  setup(build) {
    build.onResolve({ filter: /[\\/]generated[\\/]views-html\.ts$/ }, () => ({
      path: `./${VIEWS_MODULE}.js`,
      external: true,
    }));
  },
};

/**
 * `split`: modules behind dynamic import() (the DXP client, the HTTP shell, the demo DXP, the
 * views' HTML) go to chunks beside the entry, read and compiled only when first imported;
 * without it they are inlined (one file, as the MCP Bundle wants) and compiled at start.
 */
export function serverBundleOptions(entry: Record<string, string>, outDir: string, split = false): Options {
  return {
    entry,
    outDir,
    format: ["esm"],
    platform: "node",
    target: NODE_TARGET,
    // Every dependency inlined: the bundle runs without node_modules (Claude Desktop's extension folder).
    noExternal: [/.*/],
    splitting: split,
    // No bundled module require()s a Node built-in today (esbuild would emit __require calls),
    // but a CommonJS dependency that does would fail in ESM with "Dynamic require of … is not
    // supported" at run time, in the user's Claude Desktop: give it a real require.
    banner: {
      js: 'import { createRequire as __serverCreateRequire } from "node:module"; const require = __serverCreateRequire(import.meta.url);',
    },
    // Whitespace and syntax only: names stay, so a stack trace in a client's MCP log is readable.
    esbuildOptions(options) {
      options.minifyWhitespace = true;
      options.minifySyntax = true;
      options.minifyIdentifiers = false;
    },
    esbuildPlugins: split ? [leaveOutUnusedCode, shareLibraryViews] : [leaveOutUnusedCode],
    sourcemap: false,
    metafile: true,
    dts: false,
  };
}
