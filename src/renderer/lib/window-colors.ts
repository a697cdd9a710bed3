/**
 * The colours of the app's window frame in each theme: the browser's title bar (`theme-color`)
 * takes the top bar's colour, and the splash of the installed app the page's background. The
 * web app's manifest (build/offline-app.ts) and index.html's `theme-color` metas use these too.
 */
import type { Theme } from '../state/settings.svelte';

export const WINDOW_COLORS: Readonly<Record<Theme, { readonly theme: string; readonly background: string }>> = {
  light: { theme: '#f3f4f6', background: '#ffffff' },
  dark: { theme: '#181b21', background: '#0f1115' },
};

/**
 * The learner's own choice of theme wins over the system's: every `theme-color` meta (the page
 * has one per system scheme) takes the colour of the theme on screen.
 */
export function showThemeColor(theme: Theme, doc: Document = document): void {
  for (const meta of doc.querySelectorAll<HTMLMetaElement>('meta[name="theme-color"]')) {
    meta.content = WINDOW_COLORS[theme].theme;
  }
}
