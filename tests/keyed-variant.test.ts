/**
 * keyedVariant (src/shared/keyed-variant.ts) must be valibot's variant, only faster: on every
 * kind of trace event, well-formed and not, it accepts, returns and refuses exactly as the
 * variant made from the same options does.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { PackedEventSchema, TraceEventSchema, WaitSchema } from '../src/shared/trace';

const good: unknown[] = [
  { kind: 'line', line: 3, task: 0, callback: null },
  { kind: 'task', task: 0 },
  { kind: 'clock', time: 1.5 },
  { kind: 'output', stream: 'stdout', text: 'hi\n' },
  { kind: 'push', loop: 0, item: { kind: 'task', task: 0 }, reason: 'start' },
  { kind: 'pop', loop: 0, item: { kind: 'callback', callback: 2 }, cancelled: false },
  { kind: 'suspend', task: 0, wait: { kind: 'sleep', timer: 1, until: 2 }, line: 4 },
  { kind: 'done', task: 0, outcome: 'result', text: 'None', line: null },
  { kind: 'timer', loop: 0, timer: 1, when: null },
  { kind: 'limit', reason: 'steps', message: 'x' },
  { kind: 'net', op: 'listen', socket: 0, address: '127.0.0.1:8888' },
  { kind: 'net', op: 'unlisten', socket: 0 },
];
const bad: unknown[] = [
  null,
  7,
  'line',
  [],
  {},
  { kind: 'teleport', task: 0 },
  { kind: 'constructor' },
  { kind: 'toString', line: 1 },
  { line: 3, task: 0, callback: null },
  { kind: 'line', line: -1, task: 0, callback: null },
  { kind: 'line', line: 3, task: 0, callback: null, extra: '<b>' },
  { kind: 'clock', time: 'soon' },
  { kind: 'suspend', task: 0, wait: { kind: 'nap' }, line: 4 },
  { kind: 'net', op: 'teleport', socket: 0 },
  { kind: 'net', op: 'listen', socket: 'x', address: 1 },
  { kind: 'net' },
];
/** Its kind inherited, not its own: valibot's variant takes it (it asks `key in value`), and so must this. */
const inherited = Object.create({ kind: 'clock' }, { time: { value: 1, enumerable: true } }) as unknown;

/** What a parse says, in a form two parses can be compared by. */
function outcome(schema: v.GenericSchema, value: unknown): unknown {
  const result = v.safeParse(schema, value);
  return result.success
    ? { ok: result.output }
    : { issues: result.issues.map((issue) => ({ message: issue.message, path: v.getDotPath(issue), expected: issue.expected })) };
}

describe('keyedVariant answers as valibot’s variant does', () => {
  const schemas = { TraceEventSchema, PackedEventSchema, WaitSchema } as const;
  for (const [name, keyed] of Object.entries(schemas)) {
    const plain = v.variant(keyed.key, keyed.options);
    it(`${name}: the same outcome for every value, good or bad`, () => {
      const values = name === 'WaitSchema' ? [...good.map((g) => (g as { wait?: unknown }).wait).filter(Boolean), ...bad] : [...good, ...bad, inherited];
      for (const value of values) expect(outcome(keyed, value), JSON.stringify(value)).toEqual(outcome(plain, value));
    });
  }

  it('accepts every good event and refuses every bad one (so the comparison above means something)', () => {
    for (const value of good) expect(v.safeParse(TraceEventSchema, value).success, JSON.stringify(value)).toBe(true);
    for (const value of bad) expect(v.safeParse(TraceEventSchema, value).success, JSON.stringify(value)).toBe(false);
  });
});
