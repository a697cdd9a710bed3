import { mount } from 'svelte';
import App from './App.svelte';
import { getBridge } from './lib/bridge';
import { isEmbedFragment } from './lib/route';
import './styles/app.css';

if (isEmbedFragment(location.hash)) {
  // `…#/embed/…` is the embed page's address: that page, not this one, may be framed.
  location.replace(new URL(`embed.html${location.hash}`, document.baseURI).href);
} else {
  // Python starts before anything is drawn (in the browser edition, its worker is made now).
  getBridge();
  const target = document.getElementById('app');
  if (!target) throw new Error('#app is missing from index.html');
  mount(App, { target });
}
