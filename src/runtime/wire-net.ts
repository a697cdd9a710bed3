/**
 * Decodes the tracer's `net` wire events (python/_looplab/network.py, `emit`) into the trace
 * contract's `net` events (src/shared/trace-net.ts). The result is only a candidate: wire.ts
 * checks it against the schema, as it checks every event.
 *
 * Wire forms, after the code "net":
 *   listen sid address · unlisten sid · connect cid client server latency · refused cid ·
 *   established cid · accept cid sid · send cid side bytes arrives text ·
 *   arrive cid side bytes eof(0|1) · recv cid side bytes · shutdown cid side · close cid side ·
 *   reset cid side
 */
import { TraceError } from '../shared/trace';

/** The event a `["net", op, ...fields]` wire event stands for (unchecked: wire.ts checks it). */
export function decodeNetEvent(raw: readonly unknown[]): Record<string, unknown> {
  const [, op, a, b, c, d, e] = raw;
  switch (op) {
    case 'listen':
      return { kind: 'net', op, socket: a, address: b };
    case 'unlisten':
      return { kind: 'net', op, socket: a };
    case 'connect':
      return { kind: 'net', op, conn: a, client: b, server: c, latency: d };
    case 'refused':
    case 'established':
      return { kind: 'net', op, conn: a };
    case 'accept':
      return { kind: 'net', op, conn: a, socket: b };
    case 'send':
      return { kind: 'net', op, conn: a, from: b, bytes: c, arrives: d, text: e };
    case 'arrive':
      return { kind: 'net', op, conn: a, to: b, bytes: c, eof: d === 1 };
    case 'recv':
      return { kind: 'net', op, conn: a, by: b, bytes: c };
    case 'shutdown':
    case 'close':
      return { kind: 'net', op, conn: a, side: b };
    case 'reset':
      return { kind: 'net', op, conn: a, to: b };
    default:
      throw new TraceError('wire: a net event of a kind the tracer never writes');
  }
}
