#!/usr/bin/env bash
# The official MCP conformance suite against the built node-http server on the embedded
# DXP. The suite needs Node >= 22: it and a Node 22 binary live in this folder's own
# node_modules, so the project's Node 20 toolchain is untouched.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
npm install --prefix "$here" --no-audit --no-fund --loglevel=error >/dev/null
node22="$here/node_modules/.bin/node"
suite="$here/node_modules/@modelcontextprotocol/conformance/dist/index.js"

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
log="$(mktemp)"
MCP_TRANSPORT=http FASTMCP_HOST=127.0.0.1 FASTMCP_PORT="$port" node "$root/dist/servers/cli.js" --demo 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 50); do
  node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "http://127.0.0.1:$port/healthz" && break
  sleep 0.1
done

out="$(mktemp -d)"
"$node22" "$suite" server --url "http://127.0.0.1:$port/mcp" \
  --expected-failures "$here/expected-failures.yaml" -o "$out" | sed -n '/=== SUMMARY ===/,$p'
