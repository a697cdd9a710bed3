/**
 * Isolation (issue 5): programs cannot read or write the host's files, start processes, open
 * network connections, or reach JavaScript, Node.js or Electron. Each program in tests/attacks
 * tries its ways out and prints "blocked: …" for each failure, "ESCAPED: …" for a success; they
 * run here in the browser edition, through the same bridge (window.loopLab) the UI uses.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { Trace } from '../src/shared/trace';
import { streamText } from '../tests/trace-text';

const ATTACKS = join(import.meta.dirname, '../tests/attacks');
const MARKERS = ['/tmp/looplab-attack-marker.txt', '/tmp/looplab-attack-id.txt'];
const programs = readdirSync(ATTACKS)
  .filter((f) => f.endsWith('.py'))
  .sort()
  .map((file) => ({ file, source: readFileSync(join(ATTACKS, file), 'utf8') }));

async function runInApp(page: Page, source: string, filename: string): Promise<Trace> {
  return page.evaluate(
    ({ source, filename }) => {
      const bridge = window.loopLab;
      if (!bridge) throw new Error('window.loopLab is missing');
      // Some attacks walk every object in the interpreter: give them room.
      return bridge.run({ source, filename, options: { maxSteps: 500_000 } });
    },
    { source, filename },
  );
}

test.describe('a program cannot get out of its sandbox', () => {
  test.beforeAll(() => {
    for (const marker of MARKERS) rmSync(marker, { force: true });
  });

  // The ctypes attack's second try makes Pyodide run a JS string, which the CSP refuses; Pyodide
  // reports that as fatal, and the runtime is replaced (the test checks it still works after).
  test.use({
    expectedConsoleErrors: /^(Pyodide has suffered a fatal error|The cause of the fatal error was:|EvalError: Evaluating a string as JavaScript violates)/,
  });

  // Nothing leaves the app: the staysInApp fixture (./fixtures) fails the test on any request
  // that leaves the app's origin, the Python worker's included.
  test('every attack fails, and nothing leaves the app', async ({ page }) => {
    expect(programs.length).toBeGreaterThanOrEqual(15);
    await page.goto('/');
    await page.waitForFunction(() => window.loopLab !== undefined);

    let attempts = 0;
    for (const { file, source } of programs) {
      const trace = await runInApp(page, source, file);
      const out = streamText(trace, 'stdout');
      const lines = out.split('\n').filter((l) => l.length > 0);
      const escaped = lines.filter((l) => l.startsWith('ESCAPED'));
      expect(escaped, `${file}:\n${out}`).toEqual([]);
      const blocked = lines.filter((l) => l.startsWith('blocked:'));
      attempts += blocked.length;
      // Every program tried at least once, ran to its end, and said how each try failed.
      const crashed = trace.events.some((e) => e.kind === 'limit' && e.reason === 'crashed');
      expect(blocked.length + (crashed ? 1 : 0), `${file}:\n${out}`).toBeGreaterThan(0);
      if (file.startsWith('08-')) expect(out).toMatch(/virtual: wrote to the virtual \/tmp|blocked: write \/tmp/);
    }
    expect(attempts).toBeGreaterThanOrEqual(30);
    for (const marker of MARKERS) expect(existsSync(marker), `${marker} on the host`).toBe(false);

    // And the runtime still works after all that.
    const after = await runInApp(page, 'import asyncio\nasync def main():\n    print("still fine")\nasyncio.run(main())\n', 'main.py');
    expect(streamText(after, 'stdout')).toBe('still fine\n');
  });
});
