/**
 * Flips Loop Lab's Electron fuses (src/main/hardening.ts PACKAGED_FUSES) on an Electron binary.
 * A packager runs this on the app it ships:
 *   npx tsx scripts/flip-fuses.ts path/to/Loop\ Lab(.exe|.app)
 * With --dev it flips only the fuses that leave `npm start` and Playwright's Electron driver
 * working on node_modules/electron (they need the inspector, and the app is not in an asar):
 *   npx tsx scripts/flip-fuses.ts --dev
 */
import { createRequire } from 'node:module';
import { flipFuses, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { PACKAGED_FUSES } from '../src/main/hardening';

const OPTION: Record<keyof typeof PACKAGED_FUSES, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

/** Fuses that would stop a development checkout from running or being tested. */
const DEV_KEEPS: readonly (keyof typeof PACKAGED_FUSES)[] = [
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
];

const dev = process.argv.includes('--dev');
const target = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? (createRequire(import.meta.url)('electron') as string);

const wire: Partial<Record<FuseV1Options, boolean>> = {};
for (const [key, value] of Object.entries(PACKAGED_FUSES) as [keyof typeof PACKAGED_FUSES, boolean][]) {
  if (dev && DEV_KEEPS.includes(key)) continue;
  wire[OPTION[key]] = value;
}
await flipFuses(target, { version: FuseVersion.V1, ...wire });
console.log(`Fuses set on ${target}:`, await getCurrentFuseWire(target));
