/**
 * The trace contract's part for the virtual network (src/runtime/python/_looplab/network.py):
 * the `net` events, and the `net` wait of a task that waits on a socket. trace.ts puts them
 * into TraceEventSchema and WaitSchema; trace.md ("The network") explains them.
 *
 * Sockets that listen are numbered 0, 1, 2 … (`socket`), connections too (`conn`), in the order
 * the run made them. A connection has a client side (the socket that connected) and a server
 * side (the one a listener made for it). Addresses are text as a learner reads them:
 * `127.0.0.1:8888`, `db.example:5432`, `:8888` (every address of this machine), `[::1]:80`,
 * or a Unix socket's path.
 */
import * as v from 'valibot';
import { keyedVariant } from './keyed-variant';

const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const Seconds = v.pipe(v.number(), v.finite(), v.minValue(0));
const Address = v.pipe(v.string(), v.maxLength(1024));
const Preview = v.pipe(v.string(), v.maxLength(256));

export const ConnIdSchema = Count;
export type ConnId = number;
export const SocketIdSchema = Count;
export type SocketId = number;

export const SideSchema = v.picklist(['client', 'server']);
/** Which end of a connection: the one that connected, or the one its listener made. */
export type Side = v.InferOutput<typeof SideSchema>;

const net = v.literal('net');

/** What the virtual network did; `op` says what. */
export const NetEventSchema = keyedVariant('op', [
  /** A socket listens for connections on `address`. */
  v.strictObject({ kind: net, op: v.literal('listen'), socket: SocketIdSchema, address: Address }),
  /** A listening socket was closed: no more connections are taken there. */
  v.strictObject({ kind: net, op: v.literal('unlisten'), socket: SocketIdSchema }),
  /** `client` starts connecting to `server`; each way takes `latency` seconds. */
  v.strictObject({ kind: net, op: v.literal('connect'), conn: ConnIdSchema, client: Address, server: Address, latency: Seconds }),
  /**
   * The client's connect failed: nobody listens there (ConnectionRefusedError), or, rarely, a
   * listener with a full queue dropped its SYN every time it was sent (TimeoutError, after
   * Linux's six retries: 127 s).
   */
  v.strictObject({ kind: net, op: v.literal('refused'), conn: ConnIdSchema }),
  /** The handshake's answer reached the client: its side is connected. */
  v.strictObject({ kind: net, op: v.literal('established'), conn: ConnIdSchema }),
  /** The server's program took the connection from its listener (`socket`). */
  v.strictObject({ kind: net, op: v.literal('accept'), conn: ConnIdSchema, socket: SocketIdSchema }),
  /** `bytes` left one side; the last of them arrives at the other at virtual time `arrives`. */
  v.strictObject({
    kind: net,
    op: v.literal('send'),
    conn: ConnIdSchema,
    from: SideSchema,
    bytes: Count,
    arrives: Seconds,
    /** The first bytes, as Python writes a bytes value (`b'GET / HTTP/1.0\r\n'…`). */
    text: Preview,
  }),
  /** Bytes reached a side's socket, where they wait to be read; `eof`: the other side's end-of-data mark. */
  v.strictObject({ kind: net, op: v.literal('arrive'), conn: ConnIdSchema, to: SideSchema, bytes: Count, eof: v.boolean() }),
  /**
   * A side's program read `bytes` from its socket (asyncio's transport does, as soon as they
   * arrive); 0: it read the end of data, or the reset that broke the connection.
   */
  v.strictObject({ kind: net, op: v.literal('recv'), conn: ConnIdSchema, by: SideSchema, bytes: Count }),
  /** A side will send no more (shutdown / write_eof): its end-of-data mark follows its bytes. */
  v.strictObject({ kind: net, op: v.literal('shutdown'), conn: ConnIdSchema, side: SideSchema }),
  /** A side closed its socket: an end-of-data mark follows its bytes (a reset, if it left bytes unread). */
  v.strictObject({ kind: net, op: v.literal('close'), conn: ConnIdSchema, side: SideSchema }),
  /** A reset reached a side (its peer closed with bytes unread, or was gone): its next read fails. */
  v.strictObject({ kind: net, op: v.literal('reset'), conn: ConnIdSchema, to: SideSchema }),
]);
export type NetEvent = v.InferOutput<typeof NetEventSchema>;
export type NetOp = NetEvent['op'];

/** What a task waiting on the network is in. */
export const NetWaitOpSchema = v.picklist([
  'read', // reader.read/readline/readexactly/readuntil, async for over a reader, loop.sock_recv
  'drain', // writer.drain(): the send buffer is over its limit
  'write', // loop.sock_sendall
  'closed', // writer.wait_closed()
  'connect', // asyncio.open_connection, loop.create_connection, loop.sock_connect
  'resolve', // a host name's lookup (loop.getaddrinfo)
  'start', // asyncio.start_server, loop.create_server
  'accept', // loop.sock_accept
  'serve', // server.serve_forever()
  'server_closed', // server.wait_closed(), async with server
]);
export type NetWaitOp = v.InferOutput<typeof NetWaitOpSchema>;

const deadline = v.optional(Seconds);

/** A task waits on the network: `peer` is the other end (or the address it connects to), `local` its own. */
export const NetWaitSchema = v.strictObject({
  kind: net,
  op: NetWaitOpSchema,
  /** What the program called: `reader.readline`, `writer.drain`, `asyncio.open_connection` … */
  call: v.pipe(v.string(), v.maxLength(128)),
  conn: v.nullable(ConnIdSchema),
  side: v.nullable(SideSchema),
  peer: v.nullable(Address),
  local: v.nullable(Address),
  deadline,
});
export type NetWait = v.InferOutput<typeof NetWaitSchema>;
