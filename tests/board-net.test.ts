/**
 * The network part of the board (src/trace/board-net.ts) and the Network lane's view of it
 * (src/renderer/lib/network-view.ts), on hand-written `net` events: what is on the wire, what
 * waits to be read, the ends of data, a reset, and how far along the wire bytes are drawn.
 */
import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../src/shared/trace-net';
import { applyNet, cloneNet, emptyNet, inFlight, type NetBoard } from '../src/trace/board-net';
import { formatBytes } from '../src/renderer/lib/network-view';

function board(events: NetEvent[], clock = 0): NetBoard {
  const net = emptyNet();
  for (const e of events) applyNet(net, e, clock);
  return net;
}

const OPEN: NetEvent[] = [
  { kind: 'net', op: 'listen', socket: 0, address: 'db.example:5432' },
  { kind: 'net', op: 'connect', conn: 0, client: '10.0.0.1:50000', server: 'db.example:5432', latency: 0.1 },
  { kind: 'net', op: 'established', conn: 0 },
  { kind: 'net', op: 'accept', conn: 0, socket: 0 },
];

describe('the network board', () => {
  it('keeps sends on the wire, oldest first, until they arrive; then they wait until read', () => {
    const net = board([
      ...OPEN,
      { kind: 'net', op: 'send', conn: 0, from: 'client', bytes: 100, arrives: 0.3, text: "b'x'" },
      { kind: 'net', op: 'send', conn: 0, from: 'client', bytes: 50, arrives: 0.35, text: "b'y'" },
    ]);
    const c = net.conns[0]!;
    expect(c).toMatchObject({ state: 'open', accepted: true, client: '10.0.0.1:50000', server: 'db.example:5432' });
    expect(c.up.flights.map((f) => [f.bytes, f.arrives])).toEqual([
      [100, 0.3],
      [50, 0.35],
    ]);
    expect(inFlight(c.up)).toBe(150);
    // Part of the first send arrives (a paced write comes in pieces), then the rest and the second.
    applyNet(net, { kind: 'net', op: 'arrive', conn: 0, to: 'server', bytes: 60, eof: false }, 0.3);
    expect(c.up.flights.map((f) => f.bytes)).toEqual([40, 50]);
    applyNet(net, { kind: 'net', op: 'arrive', conn: 0, to: 'server', bytes: 90, eof: false }, 0.35);
    expect(c.up.flights).toEqual([]);
    expect(c.up.waiting).toBe(150);
    applyNet(net, { kind: 'net', op: 'recv', conn: 0, by: 'server', bytes: 150 }, 0.35);
    expect(c.up).toMatchObject({ waiting: 0, sent: 150, read: 150 });
    expect(c.down).toMatchObject({ sent: 0, waiting: 0 });
  });

  it('follows the end of data, closing on both sides, and a reset', () => {
    const net = board([
      ...OPEN,
      { kind: 'net', op: 'send', conn: 0, from: 'server', bytes: 10, arrives: 0.5, text: "b'z'" },
      { kind: 'net', op: 'close', conn: 0, side: 'server' },
    ]);
    const c = net.conns[0]!;
    expect(c.down.eof).toBe('sent');
    expect(c.state).toBe('open');
    applyNet(net, { kind: 'net', op: 'arrive', conn: 0, to: 'client', bytes: 10, eof: false }, 0.5);
    applyNet(net, { kind: 'net', op: 'arrive', conn: 0, to: 'client', bytes: 0, eof: true }, 0.5);
    expect(c.down).toMatchObject({ eof: 'arrived', waiting: 10 });
    applyNet(net, { kind: 'net', op: 'close', conn: 0, side: 'client' }, 0.5);
    // What the client never read is gone with its socket; both sides closed: the connection is.
    expect(c.down.waiting).toBe(0);
    expect(c.state).toBe('closed');

    const reset = board([
      ...OPEN,
      { kind: 'net', op: 'send', conn: 0, from: 'client', bytes: 5, arrives: 0.4, text: "b'q'" },
      { kind: 'net', op: 'reset', conn: 0, to: 'server' },
    ]);
    expect(reset.conns[0]!.reset).toEqual({ client: false, server: true });
    expect(reset.conns[0]!.up.flights).toEqual([]);
  });

  it('marks a refused connection and a listener that stopped', () => {
    const net = board([
      { kind: 'net', op: 'listen', socket: 0, address: ':8888' },
      { kind: 'net', op: 'connect', conn: 0, client: '127.0.0.1:50000', server: '127.0.0.1:9999', latency: 0 },
      { kind: 'net', op: 'refused', conn: 0 },
      { kind: 'net', op: 'unlisten', socket: 0 },
    ]);
    expect(net.conns[0]!.state).toBe('refused');
    expect(net.listeners).toEqual([{ socket: 0, address: ':8888', open: false }]);
  });

  it('clones deeply: a snapshot does not change when the board goes on', () => {
    const net = board([...OPEN, { kind: 'net', op: 'send', conn: 0, from: 'client', bytes: 7, arrives: 0.3, text: "b'a'" }]);
    const copy = cloneNet(net);
    applyNet(net, { kind: 'net', op: 'arrive', conn: 0, to: 'server', bytes: 7, eof: false }, 0.3);
    applyNet(net, { kind: 'net', op: 'close', conn: 0, side: 'client' }, 0.3);
    expect(copy.conns[0]!.up.flights).toEqual([{ bytes: 7, sent: 0, arrives: 0.3 }]);
    expect(copy.conns[0]!.closed.client).toBe(false);
  });
});

describe('formatBytes', () => {
  it('writes sizes as a learner reads them', () => {
    expect([0, 6, 1023, 1024, 1536, 64 * 1024, 16 * 1024 * 1024].map(formatBytes)).toEqual(['0 B', '6 B', '1023 B', '1 KiB', '1.5 KiB', '64 KiB', '16 MiB']);
  });
});
