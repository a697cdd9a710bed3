/**
 * A program's own sockets (`socket.socket()`, not asyncio's: those are the tracer's virtual
 * network, see src/runtime/python/_looplab/vsocket.py) reach nothing, in every shell, and give
 * the answers a browser worker gives.
 *
 * Emscripten's sockets (SOCKFS, in pyodide.asm.mjs) are WebSockets: in a browser worker with
 * no `WebSocket` (browser-worker-lockdown.ts) a connect or a datagram's send fails with "No
 * route to host" (its `createPeer` catches the missing constructor) and `listen` with
 * "Operation not supported" (it serves only in Node). In Node they were real: `require("ws")`
 * connected to 127.0.0.1, `listen` opened a real server, and `sendto` queued 1.5 GB outside
 * V8's heap while a peer was still connecting (a fresh attacker's finding). So the CLI's runs
 * differed from the app's for the same source, and reached the user's network. Now both
 * operations answer as the browser's do, wherever the interpreter runs.
 */

import { EHOSTUNREACH, EOPNOTSUPP } from './emscripten-errno';

/** The most host names Emscripten's name table keeps, and the longest it keeps (DNS's 253 bytes). */
const MAX_NAMES = 4096;
const MAX_NAME_LENGTH = 253;
/** The address every name past those limits resolves to, kept nowhere: in Emscripten's made-up range (172.29.x.y). */
const UNKEPT_NAME_ADDRESS = '172.29.255.255';

/** The parts of Emscripten's socket layer this replaces (Module.SOCKFS and Module.DNS). */
export interface EmscriptenSockets {
  SOCKFS?: {
    websocket_sock_ops: {
      createPeer(...args: unknown[]): unknown;
      listen(...args: unknown[]): unknown;
    };
  };
  DNS?: { lookup_name(name: string): string };
}

/** Emscripten's error type: what its syscalls turn into `-errno` for the C library. */
type ErrnoErrorClass = new (errno: number) => Error;

/**
 * Closes the program's sockets on `module` (a fresh or restored interpreter: SOCKFS is
 * JavaScript, not in the snapshot): no peer is ever made (connect, and a datagram's send:
 * EHOSTUNREACH) and no server (listen: EOPNOTSUPP; `bind` of a datagram socket still succeeds,
 * as in the browser). Throws if the pinned Pyodide no longer has the socket layer's shape:
 * better no interpreter than one whose sockets reach the host.
 */
export function closeProgramSockets(module: EmscriptenSockets, ErrnoError: ErrnoErrorClass): void {
  const ops = module.SOCKFS?.websocket_sock_ops;
  if (!ops || typeof ops.createPeer !== 'function' || typeof ops.listen !== 'function') {
    throw new Error('Emscripten’s socket layer is not the shape Loop Lab closes (SOCKFS.websocket_sock_ops)');
  }
  ops.createPeer = () => {
    throw new ErrnoError(EHOSTUNREACH);
  };
  ops.listen = () => {
    throw new ErrnoError(EOPNOTSUPP);
  };
  boundNameTable(module.DNS);
}

/**
 * Emscripten's sockets resolve a host name by making up an address for it and keeping the name
 * in a JavaScript table forever, with no limit on its length or on how many: a program that
 * resolved 40 names of 160 MB (socket.gethostbyname, no network needed) ended the whole host
 * process with "JavaScript heap out of memory" (a reviewer's attack). The table keeps at most
 * MAX_NAMES names of at most MAX_NAME_LENGTH characters; any other resolves to
 * UNKEPT_NAME_ADDRESS, kept nowhere. Loop Lab's own network (asyncio's streams) does not use it.
 */
function boundNameTable(dns: { lookup_name(name: string): string } | undefined): void {
  if (!dns) return;
  const lookup = dns.lookup_name.bind(dns);
  const kept = new Set<string>();
  dns.lookup_name = (name: string): string => {
    if (kept.has(name)) return lookup(name);
    if (name.length > MAX_NAME_LENGTH || kept.size >= MAX_NAMES) return UNKEPT_NAME_ADDRESS;
    kept.add(name);
    return lookup(name);
  };
}
