/**
 * `loop-lab trace --format text`'s table (src/cli/table.ts) is the plain table: every cell made
 * whole from the whole lists, the columns sized over every row, each cell cut to its column.
 * The table itself stops a list's cell once it is longer than its column, sizes no column past
 * the widest it is drawn and, once a list's column is that wide, asks for no more of that list
 * while sizing; none of that may change a character. Held here to the plain table, written out
 * below as the table once was, on the shipped lessons' traces, forged ones, the shapes that
 * once cost O(board), and boards whose names are empty, long, or full of control characters.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRACES_DIR } from '../build/trace-assets';
import { readyAtOnce, reverseSleepers, wokenInTheMiddle } from '../bench/board-shapes';
import { parseTraceFile, type Trace } from '../src/shared/trace';
import { plainText } from '../src/cli/plain-text';
import { tableLines } from '../src/cli/table';
import { atResolution } from '../src/trace/describe';
import { eachStepRow, type StepRow } from '../src/trace/jsonl';
import { forgedTrace } from './board-forged';

const COLUMNS = ['step', 'kind', 'task', 'line', 'clock', 'ready', 'sleeping', 'done', 'what'] as const;
const MOST_WIDTH = 40;

function plainCell(row: StepRow, column: (typeof COLUMNS)[number]): string {
  switch (column) {
    case 'step':
      return String(row.step);
    case 'kind':
      return row.kind;
    case 'task':
      return row.task ?? '-';
    case 'line':
      return row.line === null ? '-' : String(row.line);
    case 'clock':
      return String(row.clock);
    case 'ready':
      return row.ready.join(' ') || '-';
    case 'sleeping':
      return row.sleeping.map((s) => `${s.task}(${s.until === null ? s.on : `until ${s.until}`}${s.deadline === undefined ? '' : `, timeout ${s.deadline}`})`).join(' ') || '-';
    case 'done':
      return row.done.map((d) => `${d.task}${d.outcome === 'result' ? '✓' : d.outcome === 'exception' ? '✗' : '⊘'}`).join(' ') || '-';
    case 'what':
      return row.kind === 'output' ? JSON.stringify(row.output) : row.detail;
  }
}

/** The table made the plain way: whole rows, whole cells, every column sized over every row. */
function plainTable(trace: Trace): string[] {
  const rows = [...eachStepRow(trace, atResolution)];
  const cells = rows.map((row) => COLUMNS.map((c) => plainText(plainCell(row, c))));
  const widths = COLUMNS.map((c, i) => Math.min(MOST_WIDTH, Math.max(c.length, ...cells.map((r) => r[i]!.length))));
  const line = (values: readonly string[]): string =>
    values.map((v, i) => (i === values.length - 1 ? v : v.length > widths[i]! ? v.slice(0, widths[i]! - 1) + '…' : v.padEnd(widths[i]!))).join('  ').trimEnd() + '\n';
  return [line(COLUMNS), ...cells.map(line)];
}

function shippedTraces(): [string, Trace][] {
  if (!existsSync(join(TRACES_DIR, 'index.json'))) throw new Error('out/traces is missing: run `npm run build:traces` first');
  return readdirSync(TRACES_DIR)
    .filter((file) => file.endsWith('.json') && file !== 'index.json')
    .sort()
    .map((file) => [file, parseTraceFile(JSON.parse(readFileSync(join(TRACES_DIR, file), 'utf8')))]);
}

/** `trace` with its tasks renamed by `name` (a task's name is the program's to choose). */
function renamed(trace: Trace, name: (id: number) => string): Trace {
  return { ...trace, tasks: trace.tasks.map((t) => ({ ...t, name: name(t.id) })) };
}

describe("loop-lab trace --format text's table", () => {
  it('is the plain table on every shipped lesson trace', () => {
    const traces = shippedTraces();
    expect(traces.length).toBeGreaterThanOrEqual(19);
    for (const [name, trace] of traces) expect([...tableLines((most) => eachStepRow(trace, atResolution, most))], name).toEqual(plainTable(trace));
  });

  it('is the plain table on forged traces and on the shapes that once cost O(board)', () => {
    const traces: [string, Trace][] = [
      ...Array.from({ length: 12 }, (_, i): [string, Trace] => [`forged ${i + 1}`, forgedTrace(i + 1)]),
      ['tasks ready at once', readyAtOnce(120)],
      ['sleepers woken in reverse', reverseSleepers(120)],
      // Taken-out waiting tasks the table's rows walk past (Schedule.head sweeps them: helper-145).
      ['waiting tasks woken from the middle', wokenInTheMiddle(200, 400, 2)],
    ];
    for (const [name, trace] of traces) expect([...tableLines((most) => eachStepRow(trace, atResolution, most))], name).toEqual(plainTable(trace));
  });

  it('is the plain table when names are empty, long, or full of control characters (escaped: one character becomes several)', () => {
    const names = [
      (): string => '',
      (id: number): string => (id % 2 === 0 ? '' : `t${id}`),
      (id: number): string => `\u001b[2J\u0007${id}\u202e`,
      (id: number): string => 'x'.repeat(id % 7 === 0 ? 60 : 3),
      (id: number): string => (id % 3 === 0 ? '\u0000'.repeat(12) : ''),
    ];
    for (const [shape, trace] of [
      ['ready at once', readyAtOnce(60)],
      ['sleepers', reverseSleepers(60)],
      ['forged', forgedTrace(7)],
    ] as const) {
      names.forEach((name, k) => {
        const odd = renamed(trace, name);
        const table = [...tableLines((most) => eachStepRow(odd, atResolution, most))];
        expect(table, `${shape}, names ${k}`).toEqual(plainTable(odd));
      });
    }
  });
});
