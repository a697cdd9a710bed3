/**
 * Makes src/renderer/early.ts the main page's first script, a module graph of its own: a
 * `<script type="module">` placed before the app's, so that it runs as soon as the page is
 * parsed, while the app's own scripts (about 1 MB) still load and compile. Put among the
 * page's other scripts, the bundler would run it only after them: a chunk's imports run before
 * its own code, and the app's chunk is among them.
 */
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

const CHUNK_NAME = 'early';

export function earlyScript(rendererRoot: string): Plugin {
  const entry = resolve(rendererRoot, 'early.ts');
  let building = false;
  return {
    name: 'looplab:early-script',
    configResolved(config) {
      building = config.command === 'build';
    },
    buildStart() {
      if (building) this.emitFile({ type: 'chunk', id: entry, name: CHUNK_NAME });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        if (!context.filename.endsWith('/index.html')) return html;
        let src = './early.ts';
        if (building) {
          const chunk = Object.values(context.bundle ?? {}).find((file) => file.type === 'chunk' && file.isEntry && file.name === CHUNK_NAME);
          if (!chunk) throw new Error('early-script: the early chunk is missing from the build');
          src = `./${chunk.fileName}`;
        }
        // Before the page's first script (after its Content-Security-Policy <meta>, which must come first).
        const first = html.search(/<script\b/i);
        if (first < 0) throw new Error('early-script: index.html has no script to go before');
        const tag = `<script type="module" crossorigin src="${src}"></script>\n    `;
        return html.slice(0, first) + tag + html.slice(first);
      },
    },
  };
}
