/**
 * The network part of the board at step i (board.ts): which sockets listen, which connections
 * exist, and each connection's bytes each way: sent and still on the wire (with when they
 * arrive), arrived and waiting in the receiving socket, read. A pure function of the `net`
 * events up to step i, like the rest of the board.
 */
import type { ConnId, NetEvent, Side, SocketId } from '../shared/trace-net';

/** Bytes of one send still on the wire. */
export interface Flight {
  bytes: number;
  /** Virtual time they left. */
  sent: number;
  /** Virtual time the last of them arrives. */
  arrives: number;
}

/** One direction of a connection (client → server is `up`, server → client `down`). */
export interface NetDirection {
  /** Sends not yet arrived, oldest first. */
  flights: Flight[];
  /** Bytes arrived at the receiving socket and not yet read. */
  waiting: number;
  sent: number;
  read: number;
  /** The sender's end-of-data mark: not sent, on its way, or arrived. */
  eof: 'none' | 'sent' | 'arrived';
}

export type ConnState = 'connecting' | 'open' | 'refused' | 'closed';

export interface NetConnection {
  conn: ConnId;
  client: string;
  server: string;
  /** Seconds each way. */
  latency: number;
  state: ConnState;
  /** The server's program has taken it off its listener. */
  accepted: boolean;
  up: NetDirection;
  down: NetDirection;
  closed: Record<Side, boolean>;
  /** A reset reached this side. */
  reset: Record<Side, boolean>;
}

export interface NetListener {
  socket: SocketId;
  address: string;
  open: boolean;
}

export interface NetBoard {
  listeners: NetListener[];
  /** In the order they were made. */
  conns: NetConnection[];
}

export function emptyNet(): NetBoard {
  return { listeners: [], conns: [] };
}

function direction(): NetDirection {
  return { flights: [], waiting: 0, sent: 0, read: 0, eof: 'none' };
}

/** Bytes on the wire in one direction. */
export function inFlight(dir: NetDirection): number {
  let total = 0;
  for (const f of dir.flights) total += f.bytes;
  return total;
}

/** The direction bytes sent by `side` travel in. */
export function outOf(c: NetConnection, side: Side): NetDirection {
  return side === 'client' ? c.up : c.down;
}

/** The direction bytes reaching `side` travel in. */
export function into(c: NetConnection, side: Side): NetDirection {
  return side === 'client' ? c.down : c.up;
}

/**
 * A network board's connections and listeners by id, so that an event finds its own in O(1)
 * however many there are: made on a board's first event (O(connections) once, as copying it
 * cost) and kept up to date by `applyNet`, the only writer of a network board.
 */
interface NetLookup {
  /** The newest connection of each id (ids are unique in a real trace; a forged one may repeat them). */
  conns: Map<ConnId, NetConnection>;
  /** The oldest listener of each socket. */
  listeners: Map<SocketId, NetListener>;
}

const lookups = new WeakMap<NetBoard, NetLookup>();

function lookup(net: NetBoard): NetLookup {
  let found = lookups.get(net);
  if (!found) {
    found = { conns: new Map(), listeners: new Map() };
    for (const c of net.conns) found.conns.set(c.conn, c);
    for (const l of net.listeners) if (!found.listeners.has(l.socket)) found.listeners.set(l.socket, l);
    lookups.set(net, found);
  }
  return found;
}

/** Applies one `net` event to the network board, in place; `clock` is the virtual time then. */
export function applyNet(net: NetBoard, event: NetEvent, clock: number): void {
  switch (event.op) {
    case 'listen': {
      const listener: NetListener = { socket: event.socket, address: event.address, open: true };
      const listeners = lookup(net).listeners;
      if (!listeners.has(listener.socket)) listeners.set(listener.socket, listener);
      net.listeners.push(listener);
      return;
    }
    case 'unlisten': {
      const l = lookup(net).listeners.get(event.socket);
      if (l) l.open = false;
      return;
    }
    case 'connect': {
      const conn: NetConnection = {
        conn: event.conn,
        client: event.client,
        server: event.server,
        latency: event.latency,
        state: 'connecting',
        accepted: false,
        up: direction(),
        down: direction(),
        closed: { client: false, server: false },
        reset: { client: false, server: false },
      };
      lookup(net).conns.set(conn.conn, conn);
      net.conns.push(conn);
      return;
    }
    default:
      break;
  }
  const c = lookup(net).conns.get(event.conn);
  if (!c) return;
  switch (event.op) {
    case 'refused':
      c.state = 'refused';
      break;
    case 'established':
      c.state = 'open';
      break;
    case 'accept':
      c.accepted = true;
      break;
    case 'send': {
      const dir = outOf(c, event.from);
      dir.sent += event.bytes;
      dir.flights.push({ bytes: event.bytes, sent: clock, arrives: event.arrives });
      break;
    }
    case 'arrive': {
      const dir = into(c, event.to);
      if (event.eof) {
        dir.eof = 'arrived';
        break;
      }
      dir.waiting += event.bytes;
      let left = event.bytes;
      while (left > 0 && dir.flights.length > 0) {
        const head = dir.flights[0]!;
        const taken = Math.min(head.bytes, left);
        head.bytes -= taken;
        left -= taken;
        if (head.bytes === 0) dir.flights.shift();
      }
      break;
    }
    case 'recv': {
      const dir = into(c, event.by);
      dir.waiting = Math.max(0, dir.waiting - event.bytes);
      dir.read += event.bytes;
      break;
    }
    case 'shutdown': {
      const dir = outOf(c, event.side);
      if (dir.eof === 'none') dir.eof = 'sent';
      break;
    }
    case 'close': {
      c.closed[event.side] = true;
      const dir = outOf(c, event.side);
      if (dir.eof === 'none') dir.eof = 'sent';
      // What it never read is gone with it.
      into(c, event.side).waiting = 0;
      if (c.closed.client && (c.closed.server || !c.accepted)) c.state = 'closed';
      if (c.state === 'connecting') c.state = 'closed';
      break;
    }
    case 'reset':
      c.reset[event.to] = true;
      into(c, event.to).flights = [];
      break;
  }
}

export function cloneNet(net: NetBoard): NetBoard {
  return {
    listeners: net.listeners.map((l) => ({ ...l })),
    conns: net.conns.map((c) => ({
      ...c,
      up: cloneDirection(c.up),
      down: cloneDirection(c.down),
      closed: { ...c.closed },
      reset: { ...c.reset },
    })),
  };
}

/** The entries a network board holds (listeners, connections, bytes in flight): what a copy of it costs. */
export function boardNetSize(net: NetBoard): number {
  let size = net.listeners.length;
  for (const c of net.conns) size += 1 + c.up.flights.length + c.down.flights.length;
  return size;
}

function cloneDirection(d: NetDirection): NetDirection {
  return { ...d, flights: d.flights.map((f) => ({ ...f })) };
}
