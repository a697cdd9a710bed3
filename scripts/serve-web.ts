/**
 * `npm run web`: serves the built browser edition on localhost and prints its address.
 * Usage: tsx scripts/serve-web.ts [--port N]   (or PORT=N; default 5183)
 */
import { serveWeb } from './web-server';
import { portProblem, webPort } from './web-port';

const port = webPort();
try {
  const { url } = await serveWeb({ port: Number(port) });
  console.log(`Loop Lab (browser edition) is at ${url}  — press Ctrl+C to stop.`);
} catch (error) {
  // Taken meanwhile (the port was checked before the build: scripts/web-port.ts).
  process.stderr.write(`loop-lab: ${(await portProblem(port)) ?? (error instanceof Error ? error.message : String(error))}\n`);
  process.exit(1);
}
