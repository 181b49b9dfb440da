// The MCP Bundle manifest, built from package.json, the environment contract (ENV), the
// tool registry and the prompts, so the bundle Claude Desktop installs cannot drift from
// the server it runs. `tsx mcpb/build.ts` writes it to mcpb/manifest.json and the bundle.
import { readFileSync } from "node:fs";
import { ENV } from "../lib/config.ts";
import { prompts } from "../lib/prompts.ts";
import { allTools, TOOL_GROUPS } from "../lib/tools/index.ts";

/**
 * The manifest version: 0.3, the MCPB spec's current format (issue 19), which asks an
 * extension that reaches an external service (here: the user's DXP) for `privacy_policies`.
 */
export const MANIFEST_VERSION = "0.3";

/** The bundle's icon, beside manifest.json in mcpb/ and in the bundle (mcpb/make-icon.ts draws it). */
export const ICON = "icon.png";

/** Where the bundled server lives inside the bundle (an .mjs file: ESM without a package.json). */
export const ENTRY_POINT = "server/cli.mjs";

/** The settings form Claude Desktop shows, and the variable each setting becomes. */
export const USER_CONFIG = {
  dxp_url: {
    env: ENV.url,
    option: {
      type: "string",
      title: "DXP URL",
      description: "Your Nectar DXP instance, e.g. https://<instance>.nectar.services (HTTPS).",
      required: true,
    },
  },
  access_token: {
    env: ENV.accessToken,
    option: {
      type: "string",
      title: "Access token",
      description: "JWT access token from the DXP's token registration.",
      required: true,
      sensitive: true,
    },
  },
  refresh_token: {
    env: ENV.refreshToken,
    option: {
      type: "string",
      title: "Refresh token",
      description:
        "Refresh token from the same registration. Recommended: the server renews the access token with it, so it keeps working after the access token expires.",
      required: false,
      sensitive: true,
      default: "",
    },
  },
  domain_name: {
    env: ENV.tenant,
    option: {
      type: "string",
      title: "Domain name (tenant)",
      description:
        "The tenant (customer domain) questions are about unless they name another, e.g. acme. Without it every question must name a tenant (get_tenant_names lists them).",
      required: false,
      default: "",
    },
  },
  read_only: {
    env: ENV.readOnly,
    option: {
      type: "boolean",
      title: "Read-only tools",
      description: "Offer only tools that read (no configure_connection, no set_session_filter).",
      required: false,
      default: false,
    },
  },
  tools: {
    env: ENV.tools,
    option: {
      type: "string",
      title: "Tools to offer",
      description: `Tool names and/or groups (${TOOL_GROUPS.join(", ")}), comma-separated, to keep the model's context small. Empty: all tools.`,
      required: false,
      default: "",
    },
  },
  debug: {
    env: ENV.debug,
    option: {
      type: "boolean",
      title: "Debug logging",
      description: "Log every upstream call (method, path, status, time) to Claude's MCP log. Tokens are never logged.",
      required: false,
      default: false,
    },
  },
} as const;

interface PackageJson {
  name: string;
  version: string;
  description: string;
  license: string;
  engines: { node: string };
  homepage: string;
  bugs: { url: string };
  repository: { type: string; url: string };
}

const LONG_DESCRIPTION = [
  "Ask Claude about call quality on your unified-communications platforms (Teams, Zoom, Webex, Cisco, …) as monitored by Nectar DXP: " +
    "session summaries, quality by location and over time, individual poor calls, users, locations, tenants and platforms, and endpoint-client (EPC) tests. " +
    "Every answer states the tenant, the absolute UTC time window and the filter it applied.",
  "You need your DXP URL and the access and refresh tokens from the DXP's token registration. The tokens are marked sensitive, " +
    "are sent only to your DXP URL, and are never logged or shown in answers.",
].join("\n\n");

export function buildManifest(pkg: PackageJson = readPackageJson()) {
  const minNode = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(pkg.engines.node.trim());
  if (!minNode) throw new Error(`package.json engines.node should read ">=N", not "${pkg.engines.node}"`);
  // "git+https://github.com/o/r.git" → "https://github.com/o/r": the page a person opens.
  const repositoryWeb = pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
  return {
    manifest_version: MANIFEST_VERSION,
    name: pkg.name,
    display_name: "Nectar DXP",
    version: pkg.version,
    description: pkg.description,
    long_description: LONG_DESCRIPTION,
    author: { name: "nectar-dxp-mcp developers" },
    repository: { type: pkg.repository.type, url: repositoryWeb },
    homepage: pkg.homepage,
    support: pkg.bugs.url,
    icon: ICON,
    server: {
      type: "node",
      entry_point: ENTRY_POINT,
      mcp_config: {
        command: "node",
        // --stdio: Claude Desktop speaks stdio, whatever MCP_TRANSPORT the user's environment holds.
        args: [`\${__dirname}/${ENTRY_POINT}`, "--stdio"],
        env: Object.fromEntries(Object.entries(USER_CONFIG).map(([key, { env }]) => [env, `\${user_config.${key}}`])),
      },
    },
    tools: allTools.map((tool) => ({ name: tool.name, description: tool.description })),
    tools_generated: false,
    prompts: prompts.map((prompt) => {
      const names = Object.keys(prompt.args);
      return {
        name: prompt.name,
        description: prompt.description,
        arguments: names,
        text: prompt.text(Object.fromEntries(names.map((name) => [name, `\${arguments.${name}}`]))),
      };
    }),
    prompts_generated: false,
    keywords: [
      "nectar",
      "dxp",
      "call quality",
      "unified communications",
      "teams",
      "zoom",
      "webex",
      "voip",
      "monitoring",
    ],
    license: pkg.license,
    // What the extension sends where: only to the DXP URL the user configures (docs/privacy.md).
    privacy_policies: [`${repositoryWeb}/blob/main/docs/privacy.md`],
    compatibility: {
      platforms: ["darwin", "win32", "linux"],
      runtimes: { node: `>=${minNode[1]!.split(".").concat(["0", "0"]).slice(0, 3).join(".")}` },
    },
    user_config: Object.fromEntries(Object.entries(USER_CONFIG).map(([key, { option }]) => [key, option])),
  };
}

export type Manifest = ReturnType<typeof buildManifest>;

export function readPackageJson(): PackageJson {
  return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as PackageJson;
}
