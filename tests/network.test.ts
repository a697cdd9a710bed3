/**
 * The virtual network (src/runtime/python/_looplab/network.py), checked on its traces.
 *
 * On every network program of the corpus (tests/corpus/network; their output is checked
 * against CPython's by corpus.test.ts):
 * - every byte sent arrives, in order, and is read, unless the connection was closed or reset
 *   first (read ≤ arrived ≤ sent each way, equal when neither happened);
 * - bytes arrive no sooner than the time their send said, and the clock never runs back;
 * - a task waiting for data wakes only after something reached its socket (bytes, the end of
 *   data, a reset) or its own side closed, and never before the clock reached that arrival;
 * - each connection's events keep their order (connect before established/accept/bytes).
 *
 * Then what only Loop Lab has, made-up hosts and `looplab.net`: the clock must read what the
 * latencies a program set imply (a round trip to connect, one for a request and its answer),
 * gather's time is the slowest connection's, not the sum, and the helper refuses bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import type { TaskId, Trace } from '../src/shared/trace';
import type { ConnId, NetEvent, NetWait, Side } from '../src/shared/trace-net';
import { BoardIndex, replay } from '../src/trace/board';
import { into } from '../src/trace/board-net';
import { stepRows } from '../src/trace/jsonl';
import { narrate, Narrator } from '../src/trace/narrate';
import { baseName, GENEROUS, networkPrograms, runFile, startRuntime, streamText } from './corpus/harness';

let runtime: RuntimeSupervisor;

beforeAll(async () => {
  runtime = startRuntime();
  await runtime.ready();
});

afterAll(() => runtime?.dispose());

function run(source: string): Promise<Trace> {
  return runtime.run({ source, filename: 'main.py', options: GENEROUS });
}

const other = (side: Side): Side => (side === 'client' ? 'server' : 'client');
const key = (conn: ConnId, side: Side): string => `${conn}:${side}`;

interface Flow {
  sent: number;
  arrived: number;
  read: number;
  /** The receiving side closed, or a reset ended the connection: bytes may be left behind. */
  cut: boolean;
}

function netEvents(trace: Trace): NetEvent[] {
  return trace.events.filter((e): e is NetEvent => e.kind === 'net');
}

/** Every byte sent is received, or the connection closed first. */
function checkBytes(trace: Trace): void {
  const flows = new Map<string, Flow>(); // key(conn, receiving side)
  const flow = (conn: ConnId, to: Side): Flow => {
    let f = flows.get(key(conn, to));
    if (!f) flows.set(key(conn, to), (f = { sent: 0, arrived: 0, read: 0, cut: false }));
    return f;
  };
  const connected = new Set<ConnId>();
  for (const e of netEvents(trace)) {
    if (e.op === 'connect') {
      expect(connected.has(e.conn), `connection ${e.conn} made twice`).toBe(false);
      connected.add(e.conn);
      continue;
    }
    if ('conn' in e) expect(connected.has(e.conn), `${e.op} on connection ${e.conn} before its connect`).toBe(true);
    switch (e.op) {
      case 'send':
        flow(e.conn, other(e.from)).sent += e.bytes;
        break;
      case 'arrive': {
        const f = flow(e.conn, e.to);
        f.arrived += e.bytes;
        expect(f.arrived, `more bytes arrived than were sent on ${e.conn}`).toBeLessThanOrEqual(f.sent);
        break;
      }
      case 'recv': {
        const f = flow(e.conn, e.by);
        f.read += e.bytes;
        expect(f.read, `more bytes read than arrived on ${e.conn}`).toBeLessThanOrEqual(f.arrived);
        break;
      }
      case 'close':
        flow(e.conn, e.side).cut = true;
        break;
      case 'reset':
        flow(e.conn, e.to).cut = true;
        flow(e.conn, other(e.to)).cut = true;
        break;
      default:
        break;
    }
  }
  for (const [where, f] of flows) {
    if (f.cut) continue;
    expect(f.arrived, `bytes lost on the way to ${where}`).toBe(f.sent);
    expect(f.read, `bytes never read at ${where}`).toBe(f.arrived);
  }
}

/**
 * Arrivals come no sooner than promised, and a task waiting to read wakes only once its socket
 * gave its transport something (bytes read after they arrived, the end of data, a reset), its
 * own side closed, or its timeout came. Returns how many reads ended with data or an end.
 */
function checkTiming(trace: Trace): number {
  const reading = new Map<TaskId, { wait: NetWait; since: number }>();
  const fed = new Map<string, number>(); // key(conn, side) -> step its transport last got something
  let readerWakes = 0;
  let clock = 0;
  replay(trace, (board, event, i) => {
    expect(board.clock).toBeGreaterThanOrEqual(clock);
    clock = board.clock;
    if (event.kind === 'net') {
      if (event.op === 'arrive' && !event.eof) {
        expect(board.net, 'the board keeps the network').not.toBeNull();
        // What is still on the wire arrives later than now: nothing arrived early or overtook.
        const c = board.net!.conns.find((x) => x.conn === event.conn)!;
        for (const f of into(c, event.to).flights) expect(f.arrives, `event ${i}: bytes overtaken`).toBeGreaterThanOrEqual(board.clock);
      }
      if (event.op === 'send') expect(event.arrives, `event ${i}: arrives before it was sent`).toBeGreaterThanOrEqual(board.clock);
      if (event.op === 'recv') fed.set(key(event.conn, event.by), i);
      if (event.op === 'close') fed.set(key(event.conn, event.side), i);
    }
    if (event.kind === 'suspend') {
      if (event.wait.kind === 'net' && event.wait.op === 'read' && event.wait.conn !== null) {
        reading.set(event.task, { wait: event.wait, since: i });
      } else {
        reading.delete(event.task);
      }
    }
    if (event.kind === 'push' && event.item.kind === 'task' && event.reason === 'wake') {
      const r = reading.get(event.item.task);
      if (r && r.wait.conn !== null && r.wait.side !== null) {
        const timedOut = r.wait.deadline !== undefined && board.clock >= r.wait.deadline;
        const last = fed.get(key(r.wait.conn, r.wait.side)) ?? -1;
        if (!timedOut) {
          expect(last, `event ${i}: ${trace.tasks[event.item.task]?.name} woke from a read its socket gave nothing for`).toBeGreaterThan(r.since);
          readerWakes++;
        }
      }
      reading.delete(event.item.task);
    }
  });
  return readerWakes;
}

describe('the network corpus', () => {
  const programs = networkPrograms();

  it('has at least 10 network programs', () => {
    expect(programs.length).toBeGreaterThanOrEqual(10);
  });

  it.each(programs.map((p) => [baseName(p), p]))('%s: bytes, arrivals and wake-ups hold', async (_name, program) => {
    const trace = await runFile(runtime, program);
    expect(trace.events.at(-1)?.kind).not.toBe('limit');
    const net = netEvents(trace);
    expect(net.some((e) => e.op === 'listen')).toBe(true);
    checkBytes(trace);
    const wakes = checkTiming(trace);
    // Every program here that reads with streams has a task that waits for data and gets it.
    const reads = trace.events.some((e) => e.kind === 'suspend' && e.wait.kind === 'net' && e.wait.op === 'read');
    expect(wakes > 0).toBe(reads);
    // Each step has a sentence, and the CLI's rows carry the network's steps.
    const rows = stepRows(trace).filter((row) => row.kind === 'net');
    expect(rows.length).toBe(net.length);
    for (const row of rows) expect(row.detail).not.toBe('');
  });
});

const HOSTS = `
import asyncio, time
import looplab.net

async def answer(reader, writer):
    line = await reader.readline()
    writer.write(line.upper())
    await writer.drain()
    writer.close()

async def fetch(host, port):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"ping\\n")
    reply = await reader.readline()
    writer.close()
    return reply
`;

describe('made-up hosts and looplab.net', () => {
  it('a request to a host 150 ms away takes two round trips: the handshake, then the request and its answer', async () => {
    const trace = await run(`${HOSTS}
looplab.net.latency("db.example", 0.150)
async def main():
    server = await asyncio.start_server(answer, "db.example", 5432)
    start = time.monotonic()
    print(await fetch("db.example", 5432), round(time.monotonic() - start, 6))
    server.close()
asyncio.run(main())
`);
    expect(streamText(trace, 'stderr')).toBe('');
    const [reply, seconds] = streamText(trace, 'stdout').trim().split(' ');
    expect(reply).toBe("b'PING\\n'");
    expect(Number(seconds)).toBeCloseTo(4 * 0.15, 9);
    const connect = netEvents(trace).find((e) => e.op === 'connect');
    expect(connect).toMatchObject({ server: 'db.example:5432', latency: 0.15 });
    // The client waited for data from db.example, and the board said so.
    const wait = trace.events.find((e) => e.kind === 'suspend' && e.wait.kind === 'net' && e.wait.op === 'read');
    expect(wait?.kind === 'suspend' && wait.wait).toMatchObject({ peer: 'db.example:5432', call: 'reader.readline', side: 'client' });
  });

  it('three downloads at once take as long as the slowest; one after another, the sum', async () => {
    const latencies = [0.2, 0.3, 0.25];
    const trace = await run(`${HOSTS}
latencies = ${JSON.stringify(latencies)}
for n, seconds in enumerate(latencies):
    looplab.net.latency(f"site{n}.example", seconds)
async def main():
    servers = [await asyncio.start_server(answer, f"site{n}.example", 80) for n in range(3)]
    start = time.monotonic()
    for n in range(3):
        await fetch(f"site{n}.example", 80)
    print("one after another", round(time.monotonic() - start, 6))
    start = time.monotonic()
    await asyncio.gather(*(fetch(f"site{n}.example", 80) for n in range(3)))
    print("at once", round(time.monotonic() - start, 6))
asyncio.run(main())
`);
    const sum = latencies.reduce((a, b) => a + b, 0);
    const [sequential, together] = streamText(trace, 'stdout')
      .trim()
      .split('\n')
      .map((line) => Number(line.split(' ').at(-1)));
    expect(sequential).toBeCloseTo(4 * sum, 9);
    expect(together).toBeCloseTo(4 * Math.max(...latencies), 9);
    // While they download at once, three tasks wait for data from three connections.
    let most = 0;
    replay(trace, (board) => {
      const readers = board.sleeping.filter((s) => s.wait.kind === 'net' && s.wait.op === 'read');
      most = Math.max(most, new Set(readers.map((s) => (s.wait.kind === 'net' ? s.wait.conn : null))).size);
    });
    expect(most).toBe(3);
  });

  it('a made-up host is DEFAULT_LATENCY away; refusing there takes a round trip', async () => {
    const trace = await run(`
import asyncio, time
import looplab.net
async def main():
    print(looplab.net.DEFAULT_LATENCY, looplab.net.latency("shop.example"), looplab.net.latency("localhost"))
    start = time.monotonic()
    try:
        await asyncio.open_connection("shop.example", 443)
    except ConnectionRefusedError as error:
        print(type(error).__name__, error.errno, round(time.monotonic() - start, 6))
asyncio.run(main())
`);
    const [defaults, refused] = streamText(trace, 'stdout').trim().split('\n');
    const [latency, shop, loopback] = defaults!.split(' ').map(Number);
    expect(shop).toBe(latency);
    expect(loopback).toBe(0);
    expect(refused).toBe(`ConnectionRefusedError 111 ${2 * latency!}`);
  });

  it('a bandwidth paces a big write: it arrives in pieces, the last at size / bandwidth + latency', async () => {
    const trace = await run(`
import asyncio, time
import looplab.net
looplab.net.latency("files.example", 0.05)
looplab.net.bandwidth("files.example", 1_000_000)
async def serve(reader, writer):
    writer.write(b"x" * 500_000)
    await writer.drain()
    writer.close()
async def main():
    server = await asyncio.start_server(serve, "files.example", 21)
    reader, writer = await asyncio.open_connection("files.example", 21)
    start = time.monotonic()
    data = await reader.read()
    print(len(data), round(time.monotonic() - start, 6))
    writer.close()
asyncio.run(main())
`);
    expect(streamText(trace, 'stderr')).toBe('');
    const [size, seconds] = streamText(trace, 'stdout').trim().split(' ').map(Number);
    expect(size).toBe(500_000);
    // From the moment the client is connected: the server accepts a latency later, then the
    // bytes take 0.5 s to leave and 0.05 s to arrive (the end-of-data mark right behind).
    expect(seconds).toBeCloseTo(0.05 + 0.5 + 0.05, 9);
    const pieces = netEvents(trace).filter((e) => e.op === 'arrive' && !e.eof && e.to === 'client');
    expect(pieces.length).toBeGreaterThan(1);
  });

  it('a connection’s own latency can be read and changed: it holds from then on, both ways', async () => {
    const trace = await run(`${HOSTS}
async def main():
    server = await asyncio.start_server(answer, "db.example", 5432)
    reader, writer = await asyncio.open_connection("db.example", 5432)
    print(looplab.net.latency(writer))
    looplab.net.latency(writer, 0.25)
    start = time.monotonic()
    writer.write(b"ping\\n")
    await reader.readline()
    print(looplab.net.latency(writer.transport), round(time.monotonic() - start, 6))
asyncio.run(main())
`);
    expect(streamText(trace, 'stderr')).toBe('');
    const [before, after] = streamText(trace, 'stdout').trim().split('\n');
    const defaultLatency = Number(before);
    expect(defaultLatency).toBeGreaterThan(0);
    const [latency, seconds] = after!.split(' ').map(Number);
    expect(latency).toBe(0.25);
    expect(seconds).toBeCloseTo(2 * 0.25, 9);
  });

  it('a name ending in .invalid does not resolve, as on a real network', async () => {
    const trace = await run(`
import asyncio, socket
async def main():
    try:
        await asyncio.open_connection("nowhere.invalid", 80)
    except socket.gaierror as error:
        print("gaierror", error)
asyncio.run(main())
`);
    expect(streamText(trace, 'stdout')).toBe('gaierror [Errno -2] Name or service not known\n');
  });

  it('looplab.net refuses what is not a host or a connection, and latencies out of range', async () => {
    const trace = await run(`
import looplab.net
for args in [(42, 0.1), ("db.example", -1), ("db.example", float("nan")), ("db.example", "fast"), ("db.example", True)]:
    try:
        looplab.net.latency(*args)
    except (TypeError, ValueError) as error:
        print(type(error).__name__ + ":", error)
try:
    looplab.net.bandwidth("db.example", 0)
except ValueError as error:
    print("ValueError:", error)
`);
    expect(streamText(trace, 'stdout').trim().split('\n')).toEqual([
      "TypeError: latency() takes a host name (such as 'db.example') or a connection (a StreamWriter or a transport), not int",
      'ValueError: latency must be between 0 and 3600, not -1.0',
      'ValueError: latency must be between 0 and 3600, not nan',
      'TypeError: latency must be a number, not str',
      'TypeError: latency must be a number, not bool',
      'ValueError: bandwidth must be more than 0 (None: unlimited)',
    ]);
  });

  it('a program without the network still says where it would wait forever: a read nobody answers is a deadlock', async () => {
    const trace = await run(`
import asyncio
async def silent(reader, writer):
    await asyncio.Event().wait()
async def main():
    server = await asyncio.start_server(silent, "127.0.0.1", 9000)
    reader, writer = await asyncio.open_connection("127.0.0.1", 9000)
    await reader.read(1)
asyncio.run(main())
`);
    const last = trace.events.at(-1);
    expect(last?.kind === 'limit' && last.reason).toBe('deadlock');
    const board = replay(trace, () => {});
    const reader = board.sleeping.find((s) => s.wait.kind === 'net');
    expect(reader?.wait).toMatchObject({ kind: 'net', op: 'read', peer: '127.0.0.1:9000', call: 'reader.read' });
    const step = trace.events.findIndex((e) => e.kind === 'suspend' && e.wait.kind === 'net' && e.wait.op === 'read');
    expect(narrate(trace, step, board)).toMatch(/waits for data from 127\.0\.0\.1:9000 \(reader\.read\)/);
  });
});

describe('the narration', () => {
  it('says what the network did, who waits for what, and who made the handler task', async () => {
    const trace = await run(`
import asyncio
import looplab.net
looplab.net.latency("db.example", 0.1)
async def handle(reader, writer):
    writer.write((await reader.readline()).upper())
    await writer.drain()
    writer.close()
async def main():
    server = await asyncio.start_server(handle, "db.example", 5432)
    reader, writer = await asyncio.open_connection("db.example", 5432)
    writer.write(b"select 1\\n")
    print(await reader.readline())
    writer.close()
    server.close()
asyncio.run(main())
`);
    expect(streamText(trace, 'stdout')).toBe("b'SELECT 1\\n'\n");
    const index = new BoardIndex(trace);
    const narrator = new Narrator(trace);
    const said = trace.events.map((_, i) => narrator.narrate(i, index.at(i)));
    const one = (pattern: RegExp): string => {
      const found = said.filter((s) => pattern.test(s));
      expect(found, `${pattern}`).toHaveLength(1);
      return found[0]!;
    };
    one(/^A server socket listens on db\.example:5432: clients can connect there now\.$/);
    one(/^10\.0\.0\.1:50000 starts connecting to db\.example:5432 \(connection #0\): its first packet is on its way, 0\.1 s each way, so the answer comes back at 0\.2 s\.$/);
    one(/^The server creates Task-\d+ to run handle\(.*\) for its new connection: start_server runs the handler in a task of its own for each client\.$/);
    one(/^asyncio creates Task-\d+ to set up a connection its server has just accepted/);
    one(/^10\.0\.0\.1:50000 sends 9 bytes to db\.example:5432 \(b'select 1\\n'\): they arrive at 0\.3 s\.$/);
    one(/^Task-1 \(main\(\)\) waits for data from db\.example:5432 \(reader\.readline\), and hands control back to the loop\.$/);
    // The clock moved for the network, not for a timer: the narration says so.
    expect(said.filter((s) => s.includes('waits in its selector for the network')).length).toBeGreaterThan(0);
    expect(said.some((s) => s.includes('waits for its next timer'))).toBe(false);
  });
});
