import { mount } from 'svelte';
import App from './App.svelte';
import { getBridge } from './lib/bridge';
import './styles/app.css';

// Python starts before anything is drawn (in the browser edition, its worker is made now).
getBridge();

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
mount(App, { target });
