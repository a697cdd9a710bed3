/**
 * The embed page (embed.html): the player alone, for an <iframe> in a course page or slides.
 * The one page of the app other sites may frame (src/shared/static-files.ts). It plays a
 * recorded trace at once; Python starts only when a program needs it (lib/lazy-bridge.ts).
 */
import { mount } from 'svelte';
import EmbedApp from './EmbedApp.svelte';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from embed.html');
mount(EmbedApp, { target });
