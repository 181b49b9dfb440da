// Serve a fetch handler on a loopback port, under Node or Deno, for tests that must
// talk real HTTP. Returns the base URL and a close function.
type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface Listening {
  url: string;
  port: number;
  /** TCP connections accepted so far (Node; NaN under Deno): how many requests a client had in flight at once, from a cold pool. */
  readonly connections: number;
  close(): Promise<void>;
}

/** A key and certificate: serve HTTPS instead of HTTP (Node only). */
export interface Tls {
  key: string;
  cert: string;
}

declare const Deno: {
  serve(
    options: { hostname: string; port: number; onListen?: (addr: { port: number }) => void },
    handler: FetchHandler,
  ): { addr: { port: number }; shutdown(): Promise<void> };
};

/** `keepAliveMs`: how long an idle connection is kept (and announced in Keep-Alive, which clients follow). */
export async function listen(
  handler: FetchHandler,
  hostname = "127.0.0.1",
  tls?: Tls,
  keepAliveMs = 60_000,
): Promise<Listening> {
  if (typeof Deno !== "undefined" && !tls) {
    const server = Deno.serve({ hostname, port: 0, onListen() {} }, handler);
    return {
      url: `http://${hostname}:${server.addr.port}`,
      port: server.addr.port,
      connections: Number.NaN,
      close: () => server.shutdown(),
    };
  }
  const { serve } = await import("@hono/node-server");
  const https = tls ? { createServer: (await import("node:https")).createServer, serverOptions: tls } : {};
  return new Promise((resolve, reject) => {
    let connections = 0;
    const server = serve({ fetch: handler, hostname, port: 0, ...https }, (info) => {
      // An idle keep-alive socket closed by the server just as a client reuses it is "other
      // side closed"; on a starved CPU the client's timer fires late enough to lose that race
      // at Node's 5 s. A test's connections are seldom idle for a minute.
      (server as unknown as { keepAliveTimeout: number }).keepAliveTimeout = keepAliveMs;
      resolve({
        url: `${tls ? "https" : "http"}://${hostname}:${info.port}`,
        port: info.port,
        get connections() {
          return connections;
        },
        close: () =>
          new Promise<void>((done) => {
            // Drop keep-alive sockets so the test process can exit.
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
    server.on("connection", () => void (connections += 1));
    server.once("error", reject);
  });
}

/** A loopback port free right now, for a child process that must be told its port. */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
