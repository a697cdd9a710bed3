/** `npm run web` checks its port before it builds (scripts/web-port.ts): one line, not a stack trace after the build. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEB_PORT, portProblem, webPort } from '../scripts/web-port';

describe('the port npm run web serves on', () => {
  it('is --port N, else PORT, else the default', () => {
    expect(webPort(['node', 'serve', '--port', '6001'], { PORT: '6002' })).toBe('6001');
    expect(webPort(['node', 'serve'], { PORT: '6002' })).toBe('6002');
    expect(webPort(['node', 'serve'], {})).toBe(String(DEFAULT_WEB_PORT));
  });

  it('in use: says so in one line and how to choose another; free: no problem; not a port: says what was given', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    expect(await portProblem(String(port))).toBe(`port ${port} is in use (another server?): set PORT to another, as in PORT=5184 npm run web`);
    await new Promise<void>((resolve) => taken.close(() => resolve()));
    expect(await portProblem(String(port))).toBeNull();
    expect(await portProblem('abc')).toBe('PORT must be a port number (0–65535), not "abc"');
    expect(await portProblem('70000')).toBe('PORT must be a port number (0–65535), not "70000"');
  });
});
