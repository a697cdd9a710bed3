/**
 * What the Network lane shows at one step: the listening sockets, and each connection with
 * its bytes on the wire each way (drawn along the wire by how far they have travelled on the
 * virtual clock), the bytes waiting to be read at each end, and the tasks waiting on it. A
 * pure function of the board (src/trace/board-net.ts) and the trace.
 */
import type { Board } from '../../trace/board';
import { type NetConnection, type NetDirection } from '../../trace/board-net';
import { formatClock, taskName, visible } from '../../trace/describe';
import { connectedAlready } from '../../trace/net-words';
import { distinctKeys } from './distinct-keys';
import type { TraceView } from './trace-view';

/** Connections the lane shows before "and N more". */
export const SHOWN_CONNECTIONS = 6;

export interface PacketView {
  key: string;
  /** How far along the wire, 0 (just left) … 1 (arriving), by the virtual clock. */
  along: number;
  bytes: string;
  arrives: string;
}

export interface WireView {
  /** `client → server` or `server → client`, in addresses. */
  label: string;
  packets: PacketView[];
  /** Bytes arrived and not yet read at the receiving end, in words, or null. */
  waiting: string | null;
  /** The sender has finished: its end-of-data mark is on the wire, or has arrived. */
  eof: 'none' | 'sent' | 'arrived';
  /** All the words, for the accessible name: "6 B on the wire, arriving at 0.3 s". */
  summary: string;
}

export interface WaiterView {
  key: string;
  /** The task's name and coroutine: `Task-5 download(8021)`. */
  name: string;
  colour: string;
  /** What it waits for, and at which end: `waits for data (client end)`. */
  what: string;
}

export interface ConnectionView {
  key: string;
  client: string;
  server: string;
  state: 'connecting' | 'open' | 'refused' | 'closed';
  stateLabel: string;
  latency: string;
  up: WireView;
  down: WireView;
  waiters: WaiterView[];
  label: string;
}

export interface ListenerView {
  key: string;
  address: string;
  open: boolean;
}

export interface NetworkView {
  listeners: ListenerView[];
  conns: ConnectionView[];
  /** Connections not shown (the lane shows the open ones first, then the latest closed). */
  more: number;
  /** Connections made so far, and how many of them are closed. */
  total: number;
  closed: number;
}

/** Bytes as a learner reads them: 6 B, 1.5 KiB, 16 MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(value < 10 ? 1 : 0))} ${units[unit]}`;
}

const STATE_LABEL: Record<ConnectionView['state'], string> = {
  connecting: 'connecting…',
  open: 'connected',
  refused: 'refused',
  closed: 'closed',
};

const WAIT_VERB: Record<string, string> = {
  read: 'waits for data',
  drain: 'waits to send (drain)',
  write: 'waits to send',
  closed: 'waits for it to close',
  connect: 'waits to connect',
};

function wire(serial: number, c: NetConnection, dir: NetDirection, from: string, to: string, clock: number, tag: string): WireView {
  const packets = dir.flights.map((f, i) => {
    const span = f.arrives - f.sent;
    const along = span <= 0 ? 1 : Math.min(1, Math.max(0, (clock - f.sent) / span));
    return { key: `${serial}:${c.conn}${tag}${dir.sent}:${i}`, along, bytes: formatBytes(f.bytes), arrives: `${formatClock(f.arrives)} s` };
  });
  const waiting = dir.waiting > 0 ? `${formatBytes(dir.waiting)} waiting to be read` : null;
  const parts: string[] = [];
  if (packets.length > 0) {
    const total = dir.flights.reduce((sum, f) => sum + f.bytes, 0);
    parts.push(`${formatBytes(total)} on the wire, arriving at ${packets.at(-1)!.arrives}`);
  }
  if (waiting) parts.push(waiting);
  if (dir.eof === 'sent') parts.push('end of data on its way');
  if (dir.eof === 'arrived') parts.push('end of data arrived');
  if (parts.length === 0) parts.push('nothing on the wire');
  return { label: `${from} → ${to}`, packets, waiting, eof: dir.eof, summary: parts.join(', ') };
}

/** A coroutine's call, short enough for one line: `download(8021)`, or `serve_page(…)`. */
function shortCoro(coro: string): string {
  const open = coro.indexOf('(');
  return coro.length <= 24 || open < 0 ? coro : `${coro.slice(0, open)}(…)`;
}

/** The Network lane at this step, or null when the program has not used the network (yet). */
export function networkView(view: TraceView, board: Board, internals: boolean): NetworkView | null {
  const net = board.net;
  if (!net) return null;
  const trace = view.trace;
  const waitersOf = new Map<number, WaiterView[]>();
  for (const s of board.sleeping) {
    if (s.wait.kind !== 'net' || s.wait.conn === null) continue;
    if (!internals && view.internal(s.task)) continue;
    const list = waitersOf.get(s.wait.conn) ?? [];
    const verb = connectedAlready(s.wait, net) ? 'waits for the loop to take it up' : (WAIT_VERB[s.wait.op] ?? `waits (${s.wait.op})`);
    list.push({
      key: `${view.serial}:w${s.task}`,
      name: `${taskName(trace, s.task, board)} ${shortCoro(visible(trace.tasks[s.task]?.coro ?? ''))}`.trim(),
      colour: view.colour(s.task),
      what: s.wait.side === null ? verb : `${verb} (${s.wait.side} end)`,
    });
    waitersOf.set(s.wait.conn, list);
  }
  const active = net.conns.filter((c) => c.state === 'connecting' || c.state === 'open');
  const ended = net.conns.filter((c) => c.state === 'closed' || c.state === 'refused');
  const shown = [...active.slice(0, SHOWN_CONNECTIONS), ...ended.slice(-Math.max(0, SHOWN_CONNECTIONS - active.length)).reverse()];
  const conns = shown.map((c): ConnectionView => {
    const client = visible(c.client);
    const server = visible(c.server);
    const up = wire(view.serial, c, c.up, client, server, board.clock, 'u');
    const down = wire(view.serial, c, c.down, server, client, board.clock, 'd');
    const waiters = waitersOf.get(c.conn) ?? [];
    const stateLabel = STATE_LABEL[c.state];
    const latency = c.latency === 0 ? 'loopback: no delay' : `${formatClock(c.latency)} s each way`;
    const who = waiters.map((w) => `${w.name} ${w.what}`).join('; ');
    return {
      key: `${view.serial}:n${c.conn}`,
      client,
      server,
      state: c.state,
      stateLabel,
      latency,
      up,
      down,
      waiters: distinctKeys(waiters),
      label: [`${client} to ${server}, ${stateLabel}, ${latency}`, `sent: ${up.summary}`, `answered: ${down.summary}`, who]
        .filter(Boolean)
        .join('; '),
    };
  });
  return {
    // Keys a keyed list can take, whatever a trace file holds (distinct-keys.ts).
    listeners: distinctKeys(net.listeners.map((l) => ({ key: `${view.serial}:l${l.socket}`, address: visible(l.address), open: l.open }))),
    conns: distinctKeys(conns),
    more: net.conns.length - conns.length,
    total: net.conns.length,
    closed: ended.length,
  };
}
