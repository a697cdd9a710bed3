/**
 * The main page's first script, a module graph of its own (build/early-script.ts puts it
 * before the app's): starts fetching the recorded trace of the lesson the address names while
 * the app's own scripts still load and compile, so that the lesson's board shows as soon as
 * the app is up.
 */
import { shippedIndex } from 'virtual:looplab/shipped-index';
import { prefetchRouteTrace } from './lib/shipped-fetch';

prefetchRouteTrace(location.hash, document.baseURI, shippedIndex);
