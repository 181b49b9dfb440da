#!/usr/bin/env sh
# Claude Code: the same two servers as stdio.json and http.json, added from the shell.
# Options come before the name; `--` separates the stdio command. --scope project writes .mcp.json.

# stdio (the server runs on your machine):
claude mcp add --transport stdio --scope user \
  --env NECTAR_DXP_URL=https://demo.us.nectar.services \
  --env NECTAR_ACCESS_TOKEN="$NECTAR_ACCESS_TOKEN" \
  --env NECTAR_REFRESH_TOKEN="$NECTAR_REFRESH_TOKEN" \
  --env NECTAR_DOMAIN_NAME="<tenant>" \
  nectar-dxp -- npx -y nectar-dxp-mcp

# Remote Streamable HTTP (a shared server; your credentials travel in X-Nectar-* headers):
claude mcp add --transport http --scope user nectar-dxp-remote https://mcp.example.com/mcp \
  --header "X-Nectar-DXP-URL: https://demo.us.nectar.services" \
  --header "X-Nectar-Access-Token: $NECTAR_ACCESS_TOKEN" \
  --header "X-Nectar-Refresh-Token: $NECTAR_REFRESH_TOKEN" \
  --header "X-Nectar-Domain-Name: <tenant>"
