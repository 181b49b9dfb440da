// Serve a fetch handler on a loopback port, under Node or Deno, for tests that must
// talk real HTTP. Returns the base URL and a close function.
type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface Listening {
  url: string;
  close(): Promise<void>;
}

declare const Deno: {
  serve(
    options: { hostname: string; port: number; onListen?: (addr: { port: number }) => void },
    handler: FetchHandler,
  ): { addr: { port: number }; shutdown(): Promise<void> };
};

export async function listen(handler: FetchHandler, hostname = "127.0.0.1"): Promise<Listening> {
  if (typeof Deno !== "undefined") {
    const server = Deno.serve({ hostname, port: 0, onListen() {} }, handler);
    return { url: `http://${hostname}:${server.addr.port}`, close: () => server.shutdown() };
  }
  const { serve } = await import("@hono/node-server");
  return new Promise((resolve) => {
    const server = serve({ fetch: handler, hostname, port: 0 }, (info) => {
      resolve({
        url: `http://${hostname}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            // Drop keep-alive sockets so the test process can exit.
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}
