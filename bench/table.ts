/** Benchmark rows and the table `npm run bench` prints. */

export interface BenchRow {
  /** What was measured, e.g. "Pyodide start-up". */
  name: string;
  value: number;
  unit: string;
  /** The goal, in words, e.g. "≤ 20 ms". Empty when there is none. */
  goal?: string;
  /** Whether the goal was met; undefined when there is no goal. */
  ok?: boolean;
  /** How it was measured, in a few words. */
  note?: string;
}

export function formatValue(row: BenchRow): string {
  const v = row.value;
  const text = Number.isInteger(v)
    ? v.toLocaleString('en')
    : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${text} ${row.unit}`.trim();
}

export function formatBenchTable(title: string, rows: readonly BenchRow[]): string {
  const header = ['measure', 'value', 'goal', 'met', 'how'];
  const cells = rows.map((r) => [
    r.name,
    formatValue(r),
    r.goal ?? '',
    r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]): string => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [`\n${title}`, line(header), rule, ...cells.map(line)].join('\n') + '\n';
}

/** The p-th percentile (0–100) of some numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
