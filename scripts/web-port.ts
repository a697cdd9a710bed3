/**
 * The port `npm run web` serves on (`--port N`, else PORT, else 5183), and a check that it is
 * free, run before the build: a newcomer's `PORT=5392 npm run web` on a port already in use
 * built for 43 s and then ended in Node's stack trace. Usage: tsx scripts/web-port.ts
 */
import { createServer } from 'node:net';

export const DEFAULT_WEB_PORT = 5183;

/** The port asked for on `argv` (`--port N`) or in `env` (PORT), as written; DEFAULT_WEB_PORT's if neither. */
export function webPort(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): string {
  const flag = argv.indexOf('--port');
  return (flag >= 0 ? argv[flag + 1] : env.PORT) ?? String(DEFAULT_WEB_PORT);
}

/** What is wrong with serving on `asked` (a port, as written) on 127.0.0.1, in one line, or null when it is free. */
export function portProblem(asked: string): Promise<string | null> {
  const port = /^\d{1,5}$/.test(asked.trim()) ? Number(asked) : NaN;
  if (!(port >= 0 && port <= 65_535)) return Promise.resolve(`PORT must be a port number (0–65535), not ${JSON.stringify(asked)}`);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'EADDRINUSE' ? `port ${port} is in use (another server?): set PORT to another, as in PORT=5184 npm run web` : `cannot serve on port ${port}: ${error.message}`);
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(null)));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problem = await portProblem(webPort());
  if (problem !== null) {
    process.stderr.write(`loop-lab: ${problem}\n`);
    process.exit(1);
  }
}
