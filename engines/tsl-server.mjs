// The tsl engine: TimescaleDB Community inside WASM PostgreSQL (PGlite), served on the PostgreSQL wire
// protocol by pglite-socket. Usage: node tsl-server.mjs --port N [--host 127.0.0.1] [--data-dir DIR]
// Prints "READY <host>:<port>" on stdout once it accepts connections; exits cleanly on SIGTERM/SIGINT.
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { timescaledb } from "@electric-sql/pglite/timescaledb";
import { PGLiteSocketHandler, PGLiteSocketServer } from "@electric-sql/pglite-socket";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    "data-dir": { type: "string" },
    "watch-pid": { type: "string" },
  },
});
if (!values.port) {
  console.error("tsl-server: --port is required");
  process.exit(2);
}

// pglite-socket hands each chunk the socket reads straight to PGlite, which runs what it is given as whole
// protocol messages: a message the kernel delivered in two chunks (a large one always is, past 64 KiB; a 48 KB one
// now and then, under load) crashed the engine ("RuntimeError: unreachable"). So chunks are gathered here and
// PGlite gets only whole messages, one batch after another, in the order they came.
const SPECIAL_STARTUP_CODES = new Set([80877102, 80877103, 80877104]); // cancel, SSLRequest, GSSENCRequest
const handleWhole = PGLiteSocketHandler.prototype.handleData;
PGLiteSocketHandler.prototype.handleData = function (chunk) {
  this.pending = this.pending ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
  let end = 0;
  for (;;) {
    const startup = !this.startedUp; // before the startup message: no type byte, the length comes first
    const head = startup ? 0 : 1;
    if (this.pending.length < end + head + 4) break;
    const length = this.pending.readUInt32BE(end + head);
    if (this.pending.length < end + head + length) break;
    if (startup && !SPECIAL_STARTUP_CODES.has(this.pending.readUInt32BE(end + 4))) this.startedUp = true;
    end += head + length;
  }
  if (end === 0) return Promise.resolve(0);
  const whole = this.pending.subarray(0, end);
  this.pending = this.pending.subarray(end);
  this.queue = (this.queue ?? Promise.resolve()).catch(() => {}).then(() => handleWhole.call(this, whole));
  return this.queue;
};

const dataDir = values["data-dir"] ? `file://${values["data-dir"]}` : "memory://";
const db = await PGlite.create(dataDir, { extensions: { timescaledb } });
// LOAD first: on a data dir that already has the extension (a restart), PGlite would otherwise load TimescaleDB at
// its first use, without its TSL module: timescaledb.license reads unset, then Community features are refused
// "under the current timescale license".
await db.exec("LOAD 'timescaledb';");
await db.exec("CREATE EXTENSION IF NOT EXISTS timescaledb;");
const server = new PGLiteSocketServer({
  db,
  port: Number(values.port),
  host: values.host,
  connectionQueueTimeout: 600000,
});
await server.start();
console.log(`READY ${values.host}:${values.port}`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
    await db.close();
  } finally {
    process.exit(0);
  }
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
process.on("SIGHUP", shutdown);

// A throwaway engine follows its owner: when the process that started it is gone (even killed with SIGKILL,
// which leaves it no chance to stop us), stop too, so no orphan engine is left behind.
if (values["watch-pid"]) {
  const owner = Number(values["watch-pid"]);
  setInterval(() => {
    try {
      process.kill(owner, 0);
    } catch {
      shutdown();
    }
  }, 1000).unref();
}
