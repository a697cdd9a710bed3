/**
 * Re-records the saved traces in tests/fixtures/player/ from the programs inside them (each
 * trace carries its own source), with the current runtime. Run after the trace format or the
 * tracer changes:  npm run build:node && npx tsx scripts/record-trace-fixtures.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNodeRuntime } from '../src/runtime/node-host';
import type { Trace } from '../src/shared/trace';

const DIR = join(import.meta.dirname, '../tests/fixtures/player');
const runtime = createNodeRuntime();
try {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.trace.json'))) {
    const old = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Trace;
    const trace = await runtime.run({ source: old.source, filename: old.filename });
    trace.end.wallMs = 0; // keep the fixture stable
    writeFileSync(join(DIR, file), `${JSON.stringify(trace)}\n`);
    console.log(`${file}: ${trace.events.length} steps (was ${old.events.length})`);
  }
} finally {
  runtime.dispose();
}
