/**
 * The network in words: what a task waiting on a socket waits for, and one sentence per `net`
 * event (src/shared/trace-net.ts), for the board's cards, the narration and the CLI.
 */
import type { Trace } from '../shared/trace';
import type { NetEvent, NetWait, Side } from '../shared/trace-net';
import type { Board } from './board';
import type { NetBoard } from './board-net';
import { thousands } from '../shared/numbers';
import { formatClock, visible } from './describe';

/**
 * True when `wait` is a wait to connect on a connection the board already has open: its socket
 * is connected, and the task waits for the loop to take that up (it sees the socket writable at
 * its next select, then sets up the transport and its reader and writer: asyncio's
 * `sock_connect` and `_create_connection_transport`, CPython's Lib/asyncio/selector_events.py
 * and base_events.py), not for the connection itself.
 */
export function connectedAlready(wait: NetWait, net: NetBoard | null): boolean {
  if (wait.op !== 'connect' || wait.conn === null || net === null) return false;
  return net.conns.find((c) => c.conn === wait.conn)?.state === 'open';
}

/**
 * A wait on the network in a few words: `data from 127.0.0.1:8888`, `drain`, `connect to
 * db.example:5432` … `net`: the board's network then, which tells a connection made from one
 * being made.
 */
export function netWaitOn(wait: NetWait, net: NetBoard | null = null): string {
  const peer = wait.peer === null ? null : visible(wait.peer);
  const local = wait.local === null ? null : visible(wait.local);
  switch (wait.op) {
    case 'read':
      return peer ? `data from ${peer}` : 'data';
    case 'drain':
      return 'the send buffer to drain';
    case 'write':
      return peer ? `room to send to ${peer}` : 'room to send';
    case 'closed':
      return peer ? `the connection to ${peer} to close` : 'the connection to close';
    case 'connect':
      if (connectedAlready(wait, net)) return peer ? `the loop to take up its connection to ${peer}, made already` : 'the loop to take up its connection, made already';
      return peer ? `a connection to ${peer}` : 'a connection';
    case 'resolve':
      return peer ? `the address of ${peer.replace(/:\d+$/, '')}` : 'a name lookup';
    case 'start':
      return 'its server to start';
    case 'accept':
    case 'serve':
      return local ? `connections on ${local}` : 'connections';
    case 'server_closed':
      return local ? `the server on ${local} to close` : 'the server to close';
  }
}

/** The wait with what the program called: `data from db.example:5432 (reader.read)`. */
export function netWaitSentence(wait: NetWait, net: NetBoard | null = null): string {
  return `${netWaitOn(wait, net)} (${visible(wait.call)})`;
}

function seconds(time: number): string {
  return `${formatClock(time)} s`;
}

function bytes(n: number): string {
  return n === 1 ? '1 byte' : `${thousands(n)} bytes`;
}

function other(side: Side): Side {
  return side === 'client' ? 'server' : 'client';
}

/** The address of one side of a connection, as the board knows it; `connection #n` if unknown. */
export function sideAddress(net: NetBoard | null, conn: number, side: Side): string {
  const c = net?.conns.find((x) => x.conn === conn);
  if (!c) return `connection #${conn}`;
  return visible(side === 'client' ? c.client : c.server);
}

/** One sentence for a `net` event; `net` is the board's network after it, `clock` the virtual time. */
export function netSentence(event: NetEvent, net: NetBoard | null, clock: number): string {
  const conn = 'conn' in event ? event.conn : -1;
  const at = (side: Side): string => sideAddress(net, conn, side);
  switch (event.op) {
    case 'listen':
      return `A server socket listens on ${visible(event.address)}: clients can connect there now.`;
    case 'unlisten': {
      const address = net?.listeners.find((l) => l.socket === event.socket)?.address;
      return `The server socket${address ? ` on ${visible(address)}` : ''} is closed: it takes no more connections.`;
    }
    case 'connect': {
      const way =
        event.latency === 0
          ? 'over loopback, which takes no time'
          : `${seconds(event.latency)} each way, so the answer comes back at ${seconds(clock + 2 * event.latency)}`;
      return `${visible(event.client)} starts connecting to ${visible(event.server)} (connection #${event.conn}): its first packet is on its way, ${way}.`;
    }
    case 'refused':
      return `Nobody listens at ${at('server')}: the connection is refused (ConnectionRefusedError).`;
    case 'established':
      return `The connection to ${at('server')} is made: the client’s socket is connected.`;
    case 'accept':
      return `The server takes the connection from ${at('client')} off its listening socket.`;
    case 'send': {
      const when = event.arrives <= clock ? 'they arrive at once' : `they arrive at ${seconds(event.arrives)}`;
      return `${at(event.from)} sends ${bytes(event.bytes)} to ${at(other(event.from))} (${visible(event.text)}): ${when}.`;
    }
    case 'arrive':
      return event.eof
        ? `${at(other(event.to))} has finished sending: its end-of-data mark reaches ${at(event.to)}.`
        : `${bytes(event.bytes)} from ${at(other(event.to))} arrive at ${at(event.to)}’s socket, where they wait to be read.`;
    case 'recv':
      return event.bytes === 0
        ? `The transport of ${at(event.by)} reads from its socket and finds the connection’s end: it tells its protocol.`
        : `The transport of ${at(event.by)} reads ${bytes(event.bytes)} from its socket and hands them to its protocol.`;
    case 'shutdown':
      return `${at(event.side)} will send no more: an end-of-data mark follows its bytes to ${at(other(event.side))}.`;
    case 'close':
      return `${at(event.side)} closes its socket (connection #${event.conn}).`;
    case 'reset':
      return `A reset from ${at(other(event.to))} reaches ${at(event.to)}: the connection is broken.`;
  }
}

/** A short detail for the CLI's step rows: `#0 client → 14 bytes, arrives 0.02`. */
export function netDetail(event: NetEvent): string {
  switch (event.op) {
    case 'listen':
      return `listen ${event.address}`;
    case 'unlisten':
      return `unlisten socket ${event.socket}`;
    case 'connect':
      return `#${event.conn} connect ${event.client} → ${event.server} (latency ${event.latency})`;
    case 'refused':
    case 'established':
      return `#${event.conn} ${event.op}`;
    case 'accept':
      return `#${event.conn} accepted`;
    case 'send':
      return `#${event.conn} ${event.from} sends ${event.bytes} bytes, arrive ${event.arrives}`;
    case 'arrive':
      return event.eof ? `#${event.conn} end of data reaches ${event.to}` : `#${event.conn} ${event.bytes} bytes reach ${event.to}`;
    case 'recv':
      return `#${event.conn} ${event.by} reads ${event.bytes} bytes`;
    case 'shutdown':
    case 'close':
      return `#${event.conn} ${event.side} ${event.op}`;
    case 'reset':
      return `#${event.conn} reset reaches ${event.to}`;
  }
}

/** Why asyncio made one of its own tasks for a server, from its coroutine; null for any other task. */
export function serverTaskPurpose(coro: string): string | null {
  if (coro.includes('._accept_connection2(')) return 'to set up a connection its server has just accepted';
  if (coro.includes('._create_server_getaddrinfo(')) return 'to look up the address its server will listen on';
  return null;
}

/**
 * Is a task being made by asyncio for a new connection to a `start_server` server? Its
 * handler's task is created in the callback that hands the connection to the stream protocol.
 */
export function madeForConnection(trace: Trace, board: Board): boolean {
  const running = board.running;
  return running?.kind === 'callback' && trace.callbacks[running.callback]?.label === 'StreamReaderProtocol.connection_made';
}
