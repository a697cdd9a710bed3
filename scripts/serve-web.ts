/**
 * `npm run web`: serves the built browser edition on localhost and prints its address.
 * Usage: tsx scripts/serve-web.ts [--port N]   (or PORT=N; default 5183)
 */
import { serveWeb } from './web-server';

const flag = process.argv.indexOf('--port');
const port = Number(flag >= 0 ? process.argv[flag + 1] : (process.env.PORT ?? 5183));
const { url } = await serveWeb({ port });
console.log(`Loop Lab (browser edition) is at ${url}  — press Ctrl+C to stop.`);
