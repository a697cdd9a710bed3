/**
 * The player inside an exported page (Export… → a page that plays it): one self-contained HTML
 * file, opened from disk in any modern browser with no network and no Python. Built on its own
 * as one script and one style sheet (vite.standalone.config.ts), which the app inlines into the
 * page it writes (src/renderer/export/standalone-html.ts).
 */
import { mount } from 'svelte';
import '../styles/app.css';
import { PAGE_DATA_ID, readPageData } from './page-data';
import Standalone from './Standalone.svelte';

const target = document.getElementById('app');
const block = document.getElementById(PAGE_DATA_ID);
if (target) {
  try {
    const data = readPageData(block?.textContent ?? '');
    mount(Standalone, { target, props: data });
  } catch (error) {
    target.textContent = error instanceof Error ? error.message : String(error);
  }
}
