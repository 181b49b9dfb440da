// The host's part for the browser test (test/views-browser.test.ts), played with the
// ext-apps host-side bridge: load a view into a sandboxed frame, hand it the tool's arguments
// and result, answer its tools/call by asking the real server (the test's /call route), and
// change its theme. Everything the view asks of the host is recorded in window.hostLog.

import type { McpUiHostContext } from "@modelcontextprotocol/ext-apps";
import { AppBridge, PostMessageTransport } from "@modelcontextprotocol/ext-apps/app-bridge";

interface ShowView {
  viewUrl: string;
  args: Record<string, unknown>;
  result: Record<string, unknown>;
  theme: "light" | "dark";
}

interface HostWindow {
  hostLog: { method: string; params: unknown }[];
  showView(options: ShowView): Promise<void>;
  setTheme(theme: "light" | "dark"): void;
}

const host = window as unknown as Window & HostWindow;
host.hostLog = [];
let bridge: AppBridge | undefined;
let context: McpUiHostContext = {};

host.showView = async ({ viewUrl, args, result, theme }) => {
  const frame = document.getElementById("view") as HTMLIFrameElement;
  document.body.classList.toggle("dark", theme === "dark");
  context = {
    theme,
    displayMode: "inline",
    platform: "web",
    locale: "en-US",
    containerDimensions: { width: frame.clientWidth, maxHeight: 1200 },
  };
  bridge = new AppBridge(
    null,
    { name: "nectar-test-host", version: "1.0.0" },
    { serverTools: {}, logging: {} },
    { hostContext: context },
  );
  bridge.oncalltool = async (params) => {
    host.hostLog.push({ method: "tools/call", params });
    const response = await fetch("/call", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    });
    return response.json();
  };
  bridge.onloggingmessage = (params) => host.hostLog.push({ method: "notifications/message", params });
  bridge.onsizechange = ({ height }) => {
    if (height) frame.style.height = `${Math.ceil(height) + 2}px`;
  };
  const initialized = new Promise<void>((resolve) => {
    bridge!.oninitialized = () => resolve();
  });
  await bridge.connect(new PostMessageTransport(frame.contentWindow!, frame.contentWindow!));
  frame.src = viewUrl;
  await initialized;
  await bridge.sendToolInput({ arguments: args });
  await bridge.sendToolResult(result as Parameters<AppBridge["sendToolResult"]>[0]);
};

host.setTheme = (theme) => {
  document.body.classList.toggle("dark", theme === "dark");
  context = { ...context, theme };
  bridge!.setHostContext(context);
};
