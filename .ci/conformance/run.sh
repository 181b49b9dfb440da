#!/usr/bin/env bash
# The official MCP conformance suites against the built node-http server on the embedded
# DXP, one protocol era each:
#   - 0.1.16 (this folder)          the 2025-11-25 suite, expected-failures.yaml
#   - 0.2.0-alpha.12 (./2026)       --requirements 2026-07-28, 2026/expected-failures.yaml,
#                                   against diagnostic-server.mts: the same app from the sources
#                                   plus the three diagnostic tools server-stateless calls
# Both suites need Node >= 22: each folder's own node_modules holds its suite and a Node 22
# binary, so the project's Node 20 toolchain is untouched. A suite exits 1 on any failure its
# file does not list (and when a listed scenario starts passing).
# Usage: run.sh [ROOT]   (ROOT: the project whose dist/ to serve; default this checkout)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "${1:-$here/../..}" && pwd)"
# npm needs the registry: never under .ci/run's loopback guard (NODE_OPTIONS), which the rest keeps.
NODE_OPTIONS= npm install --prefix "$here" --no-audit --no-fund --loglevel=error >/dev/null
NODE_OPTIONS= npm install --prefix "$here/2026" --no-audit --no-fund --loglevel=error >/dev/null

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
log="$(mktemp)"
MCP_TRANSPORT=http FASTMCP_HOST=127.0.0.1 FASTMCP_PORT="$port" node "$root/dist/servers/cli.js" --demo 2>"$log" &
server=$!
port2026=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# tsx itself (not npx) so that the trap's kill reaches it, and tsx passes it on to its node.
(cd "$root" && exec "$root/node_modules/.bin/tsx" "$here/diagnostic-server.mts" "$port2026") 2>>"$log" &
server2026=$!
out="$(mktemp -d)"
trap 'kill "$server" "$server2026" 2>/dev/null || true; rm -rf "$log" "$out"' EXIT
for p in "$port" "$port2026"; do
  for _ in $(seq 1 300); do
    node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "http://127.0.0.1:$p/healthz" && break
    sleep 0.1
  done
done

status=0
echo "--- 2025-11-25 (conformance 0.1.16)"
"$here/node_modules/.bin/node" "$here/node_modules/@modelcontextprotocol/conformance/dist/index.js" \
  server --url "http://127.0.0.1:$port/mcp" \
  --expected-failures "$here/expected-failures.yaml" -o "$out/2025" > "$out/2025.txt" || status=1
sed -n '/=== SUMMARY ===/,$p' "$out/2025.txt"
echo "--- 2026-07-28 (conformance 0.2.0-alpha.12 --requirements 2026-07-28)"
"$here/2026/node_modules/.bin/node" "$here/2026/node_modules/@modelcontextprotocol/conformance/dist/index.js" \
  server --url "http://127.0.0.1:$port2026/mcp" --requirements 2026-07-28 \
  --expected-failures "$here/2026/expected-failures.yaml" -o "$out/2026" > "$out/2026.txt" || status=1
sed -n '/=== SUMMARY ===/,$p' "$out/2026.txt"
exit "$status"
