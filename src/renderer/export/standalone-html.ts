/**
 * Export… → a page that plays the run: one self-contained `.html` file holding the trace and a
 * player (step, play, scrub, board, code, console), which opens from disk in any modern browser
 * with no Python and no network. The player's script and style sheet (built apart, shipped at
 * `standalone/`) are inlined, and the page's own Content-Security-Policy allows exactly those two
 * by their SHA-256 hashes and nothing else: no other script, no connection, no frame.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { packTrace, type Trace } from '../../shared/trace';
import { PAGE_DATA_ID, pageDataJson } from '../standalone/page-data';

/** The player's two files, as the app ships them. */
export interface PlayerFiles {
  script: string;
  style: string;
}

/** Reads the player's files from the app (same origin; kept offline by the service worker). */
export async function fetchPlayerFiles(base: string = document.baseURI): Promise<PlayerFiles> {
  const read = async (name: string): Promise<string> => {
    const response = await fetch(new URL(`standalone/${name}`, base));
    if (!response.ok) throw new Error(`The page's player is missing from this copy of Loop Lab (standalone/${name}).`);
    return response.text();
  };
  const [script, style] = await Promise.all([read('player.js'), read('player.css')]);
  return { script, style };
}

function hash(text: string): string {
  let binary = '';
  for (const byte of sha256(utf8ToBytes(text))) binary += String.fromCharCode(byte);
  return `'sha256-${btoa(binary)}'`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** No `</style` or `</script` inside the inlined files can end their element early. */
function inlineSafe(text: string, tag: 'script' | 'style'): string {
  return text.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);
}

/** The page's HTML. */
export function standaloneHtml(trace: Trace, options: { title: string; step: number; files: PlayerFiles }): string {
  const script = inlineSafe(options.files.script, 'script');
  const style = inlineSafe(options.files.style, 'style');
  const policy = [
    "default-src 'none'",
    `script-src ${hash(script)}`,
    `style-src ${hash(style)}`,
    "style-src-attr 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const data = pageDataJson({ format: 1, title: options.title, step: options.step, trace: packTrace(trace) });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="Loop Lab">
<title>${escapeHtml(`${options.title} — Loop Lab`)}</title>
<style>${style}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="${PAGE_DATA_ID}">${data}</script>
<script>${script}</script>
</body>
</html>
`;
}

/** A file name from a title: `Numbers and letters` → `numbers-and-letters`. */
export function fileStem(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'loop-lab'
  );
}
