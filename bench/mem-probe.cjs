// Preloaded (`node --expose-gc --require bench/mem-probe.cjs dist/servers/cli.js --http`)
// into the server whose memory the bench measures: on an IPC "mem" request it runs a full
// GC and replies with process.memoryUsage(). Nothing else about the server changes.
process.on("message", (message) => {
  if (message?.op !== "mem") return;
  if (typeof global.gc === "function") {
    global.gc();
    global.gc();
  }
  const usage = process.memoryUsage();
  process.send({
    id: message.id,
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
    external: usage.external,
    gc: typeof global.gc === "function",
  });
});
// The bench gone (even killed): do not outlive it.
process.on("disconnect", () => process.exit(0));
