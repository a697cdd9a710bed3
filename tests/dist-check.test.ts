/**
 * `npm run dist` says in one line why it cannot build installers (scripts/dist-check.ts): a
 * fake network answers, so these tests need none.
 */
import { describe, expect, it } from 'vitest';
import { BUILDER_TOOLS, type DistMachine, type Probe, whyNoInstallers } from '../scripts/dist-check';

/** A network where the listed hosts answer with a status and every other host is unreachable. */
function network(answers: Record<string, number>, asked: string[] = []): Probe {
  return async (url) => {
    asked.push(url);
    const status = answers[new URL(url).host];
    return status === undefined ? { error: 'ENOTFOUND' } : { status };
  };
}

function machine(overrides: Partial<DistMachine>): DistMachine {
  return { platform: 'linux', arch: 'x64', electronVersion: '45.5.0', localElectron: false, env: {}, probe: network({}), ...overrides };
}

describe('whyNoInstallers', () => {
  it('offline: Electron’s binary cannot be downloaded, and it says from where and why', async () => {
    const why = await whyNoInstallers(machine({}));
    expect(why).toBe("Electron 45.5.0's binary for linux-x64 cannot be downloaded: github.com cannot be reached (ENOTFOUND).");
    expect(why).not.toContain('\n');
  });

  it('online: nothing stops it; Electron’s own release for this platform is what it asks for', async () => {
    const asked: string[] = [];
    expect(await whyNoInstallers(machine({ platform: 'win32', probe: network({ 'github.com': 302 }, asked) }))).toBeNull();
    expect(asked).toEqual(['https://github.com/electron/electron/releases/download/v45.5.0/electron-v45.5.0-win32-x64.zip', BUILDER_TOOLS]);
  });

  it('with Electron already in node_modules, only the packaging tools must be reachable', async () => {
    const asked: string[] = [];
    const why = await whyNoInstallers(machine({ localElectron: true, probe: network({}, asked) }));
    expect(why).toBe("electron-builder's packaging tools cannot be downloaded: github.com cannot be reached (ENOTFOUND).");
    expect(asked).toEqual([BUILDER_TOOLS]);
  });

  it('follows the mirrors a school’s network names', async () => {
    const env = { ELECTRON_MIRROR: 'https://mirror.school.example/electron/', ELECTRON_BUILDER_BINARIES_MIRROR: 'https://mirror.school.example/builder/' };
    expect(await whyNoInstallers(machine({ env, probe: network({ 'mirror.school.example': 200 }) }))).toBeNull();
    expect(await whyNoInstallers(machine({ env, probe: network({ 'mirror.school.example': 404 }) }))).toBe(
      "Electron 45.5.0's binary for linux-x64 is not at https://mirror.school.example/electron/v45.5.0/electron-v45.5.0-linux-x64.zip (404).",
    );
  });

  it('a server error, and a platform with no installers, are reasons too', async () => {
    expect(await whyNoInstallers(machine({ probe: network({ 'github.com': 503 }) }))).toBe(
      "Electron 45.5.0's binary for linux-x64 cannot be downloaded: github.com answered 503.",
    );
    expect(await whyNoInstallers(machine({ platform: 'freebsd' }))).toBe('Loop Lab has installers for Linux, Windows and macOS, not for freebsd.');
  });
});
