/**
 * The window's colours are said in three places that must agree: the app's table
 * (src/renderer/lib/window-colors.ts), index.html's `theme-color` metas (before any script
 * runs) and the web app's manifest (the installed app's title bar and splash).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST } from '../build/offline-app';
import { WINDOW_COLORS } from '../src/renderer/lib/window-colors';

const INDEX = readFileSync(join(import.meta.dirname, '../src/renderer/index.html'), 'utf8');

describe('window colours', () => {
  it('index.html has one theme-color per system scheme, each the theme’s top-bar colour', () => {
    const metas = [...INDEX.matchAll(/<meta name="theme-color" content="([^"]+)" media="\(prefers-color-scheme: (light|dark)\)" \/>/g)];
    expect(Object.fromEntries(metas.map((m) => [m[2], m[1]]))).toEqual({ light: WINDOW_COLORS.light.theme, dark: WINDOW_COLORS.dark.theme });
  });

  it('the manifest opens on the light theme’s colours', () => {
    expect(MANIFEST).toMatchObject({ theme_color: WINDOW_COLORS.light.theme, background_color: WINDOW_COLORS.light.background, display: 'standalone' });
  });

  it('the colours are the themes’ own (app.css: --panel for the bar, --bg for the page)', () => {
    const css = readFileSync(join(import.meta.dirname, '../src/renderer/styles/app.css'), 'utf8');
    for (const [theme, selector] of [['light', ":root[data-theme='light'] {"], ['dark', ":root[data-theme='dark'] {"]] as const) {
      const block = css.slice(css.indexOf(selector), css.indexOf('}', css.indexOf(selector)));
      expect(block, theme).toContain(`--panel: ${WINDOW_COLORS[theme].theme};`);
      expect(block, theme).toContain(`--bg: ${WINDOW_COLORS[theme].background};`);
    }
  });
});
