# nectar-dxp-mcp over Streamable HTTP: http://<host>:8000/mcp, /healthz, /readyz.
#
#   docker build -t nectar-dxp-mcp .
#   docker run --rm -p 8000:8000 --read-only nectar-dxp-mcp
#
# Two stages on the same Debian (glibc) Node image: the build stage installs everything and
# runs `npm run build` (the MCP Apps views, the published schemas, tsup, dist/tools.json),
# then drops the dev dependencies; the runtime stage gets only dist/, the production
# node_modules and package.json, owned by root and read-only to the server's user.
# test/packaging.test.ts checks this file against the real build output, builds the image's
# file set from these steps in a temporary folder (views included) and runs its ENTRYPOINT.

# Node 24, the active LTS, pinned by its full version (package.json allows >= 22).
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# ---- build -------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so the layer is cached until package.json or the lockfile change.
# `npm ci` fails on some registries (the lockfile names platform packages they lack); a
# plain install resolves the lockfile for this platform. --ignore-scripts: no install script
# is needed to build (esbuild finds its platform binary without one; deno is a test-only tool).
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsup.config.ts ./
COPY scripts ./scripts
COPY views ./views
COPY lib ./lib
COPY servers ./servers
# The package's own build, so the image serves what npm's package serves: without the views'
# step the map and the chart answer "not built". NECTAR_NO_DTS=1 leaves out the type
# declarations (most of the build's time): they are for npm's package, the server never reads them.
RUN NECTAR_NO_DTS=1 npm run build
RUN npm prune --omit=dev --no-audit --no-fund --ignore-scripts

# ---- runtime -----------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# The server runs `node` only: npm, npx, corepack and yarn are dead weight and scanner noise.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg
WORKDIR /app
ENV NODE_ENV=production \
    MCP_TRANSPORT=http \
    FASTMCP_HOST=0.0.0.0 \
    FASTMCP_PORT=8000
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# UID 1000 is the image's `node` user. The files above stay owned by root: the server can
# read its code but not change it, and it writes nothing to disk (--read-only works).
USER 1000:1000
EXPOSE 8000
# No curl in the image: node's http module (lighter than fetch, which loads undici per run).
# Follows FASTMCP_PORT if you override it at run time.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "require('node:http').get({host:'127.0.0.1',port:process.env.FASTMCP_PORT||8000,path:'/healthz',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('timeout',()=>process.exit(1)).on('error',()=>process.exit(1))"]
# Exec form: node is PID 1 and gets SIGTERM itself (it drains calls in flight, up to 10 s).
ENTRYPOINT ["node", "dist/servers/cli.js"]
