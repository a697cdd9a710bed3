/** Reads a course folder from disk into the files map the lesson loader takes (tests and e2e). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file of every lesson folder under `root`, keyed `lessons/<folder>/<file>`. */
export function readLessonFiles(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const folder of readdirSync(root)) {
    const dir = join(root, folder);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir)) files[`lessons/${folder}/${file}`] = readFileSync(join(dir, file), 'utf8');
  }
  return files;
}
