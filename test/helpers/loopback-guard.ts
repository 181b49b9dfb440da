// Preloaded (`node --require`) into server children that tests spawn: connections to
// anything but loopback (or a local socket path) fail and are reported on stderr, so no
// test can reach a non-loopback address even if the code under test had a bug.
export const LOOPBACK_GUARD = `
const net = require("node:net");
const connect = net.Socket.prototype.connect;
const loopback = (h) => /^(localhost|127\\.\\d+\\.\\d+\\.\\d+|::1|\\[::1\\])$/i.test(String(h));
net.Socket.prototype.connect = function (...args) {
  let o = Array.isArray(args[0]) ? args[0][0] : args[0];
  let host;
  if (o && typeof o === "object") { if (o.path) return connect.apply(this, args); host = o.host ?? "localhost"; }
  else if (typeof o === "number" || /^\\d+$/.test(String(o))) host = typeof args[1] === "string" ? args[1] : "localhost";
  else return connect.apply(this, args);
  if (!loopback(host)) {
    process.stderr.write("LOOPBACK-GUARD refused a connection to " + host + "\\n");
    process.nextTick(() => this.destroy(new Error("test guard: non-loopback connection refused")));
    return this;
  }
  return connect.apply(this, args);
};
`;
