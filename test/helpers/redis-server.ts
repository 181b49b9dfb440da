// A real redis-server (Debian's) for a test: on a unix socket in a temp dir, no TCP port,
// no persistence; stopped (and the dir removed) by the test. Restartable on the same
// socket, and pausable (SIGSTOP/SIGCONT) to play a slow Redis.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RedisProcess {
  /** The unix socket path (what NECTAR_REDIS_URL takes). */
  socket: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Stop and remove the temp dir. */
  dispose(): Promise<void>;
}

/** `extraArgs`: more redis-server flags, e.g. ["--maxmemory", "4mb", "--maxmemory-policy", "allkeys-lru"]. */
export function redisServer(extraArgs: readonly string[] = []): RedisProcess {
  const dir = mkdtempSync(join(tmpdir(), "nectar-redis-"));
  const socket = join(dir, "redis.sock");
  let child: ChildProcess | undefined;
  const process = {
    socket,
    async start() {
      child = spawn(
        "redis-server",
        [
          "--port",
          "0",
          "--unixsocket",
          socket,
          "--unixsocketperm",
          "700",
          "--save",
          "",
          "--appendonly",
          "no",
          "--dir",
          dir,
          ...extraArgs,
        ],
        {
          stdio: "ignore",
        },
      );
      for (let i = 0; i < 400 && !existsSync(socket); i++) {
        if (child.exitCode !== null)
          throw new Error("redis-server exited at start (is Debian's redis-server installed?)");
        await new Promise((r) => setTimeout(r, 25));
      }
      if (!existsSync(socket)) throw new Error("redis-server did not open its socket");
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      running.kill("SIGCONT");
      const exited = new Promise((r) => running.once("exit", r));
      running.kill("SIGKILL");
      await exited;
      rmSync(socket, { force: true });
    },
    pause: () => child?.kill("SIGSTOP"),
    resume: () => child?.kill("SIGCONT"),
    async dispose() {
      await process.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return process;
}
