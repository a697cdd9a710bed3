/**
 * Whether `npm run dist` can build installers on this machine, and if not, why, in one line.
 * electron-builder downloads Electron's binary for the platform (unless this checkout already
 * has it in node_modules/electron/dist) and its own packaging tools (AppImage, fpm, NSIS …),
 * from the addresses below or the mirrors their environment variables name.
 */

/** Where @electron/get fetches Electron's releases (ELECTRON_MIRROR overrides it). */
export const ELECTRON_RELEASES = 'https://github.com/electron/electron/releases/download/';
/** Where electron-builder fetches its packaging tools (ELECTRON_BUILDER_BINARIES_MIRROR overrides it). */
export const BUILDER_TOOLS = 'https://github.com/electron-userland/electron-builder-binaries/releases/download/';

/** Asks for a URL: null when it answered (any status below 500), else what went wrong. */
export type Probe = (url: string) => Promise<{ status: number } | { error: string }>;

export interface DistMachine {
  /** process.platform */
  platform: string;
  /** process.arch */
  arch: string;
  /** The version of the `electron` package the app is built against. */
  electronVersion: string;
  /** True when node_modules/electron/dist holds Electron's binary for this machine. */
  localElectron: boolean;
  env: NodeJS.ProcessEnv;
  probe: Probe;
}

export const INSTALLER_PLATFORMS = ['linux', 'win32', 'darwin'] as const;

/** Null when installers can be built here; otherwise the reason, as one line. */
export async function whyNoInstallers(machine: DistMachine): Promise<string | null> {
  if (!(INSTALLER_PLATFORMS as readonly string[]).includes(machine.platform)) {
    return `Loop Lab has installers for Linux, Windows and macOS, not for ${machine.platform}.`;
  }
  const checks: { what: string; url: string }[] = [];
  if (!machine.localElectron) {
    const mirror = machine.env.ELECTRON_MIRROR ?? ELECTRON_RELEASES;
    const zip = `electron-v${machine.electronVersion}-${machine.platform}-${machine.arch}.zip`;
    checks.push({ what: `Electron ${machine.electronVersion}'s binary for ${machine.platform}-${machine.arch}`, url: `${mirror}v${machine.electronVersion}/${zip}` });
  }
  checks.push({ what: "electron-builder's packaging tools", url: machine.env.ELECTRON_BUILDER_BINARIES_MIRROR ?? BUILDER_TOOLS });
  for (const { what, url } of checks) {
    const answer = await machine.probe(url);
    const host = new URL(url).host;
    if ('error' in answer) return `${what} cannot be downloaded: ${host} cannot be reached (${answer.error}).`;
    if (answer.status === 404 && url.endsWith('.zip')) return `${what} is not at ${url} (404).`;
    if (answer.status >= 500) return `${what} cannot be downloaded: ${host} answered ${answer.status}.`;
  }
  return null;
}

/** The real probe: a HEAD request, redirects not followed, 10 s at most. */
export const probeNetwork: Probe = async (url) => {
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    return { status: response.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { error: cause?.code ?? cause?.message ?? (error as Error).name };
  }
};
