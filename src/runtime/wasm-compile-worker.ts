/**
 * A worker of the page's whose one job is to compile Pyodide's WebAssembly for it
 * (page-pyodide.ts), off the page's thread: it posts the page one message, the compiled
 * `WebAssembly.Module` or null if it could not be fetched or compiled. Compiled on the page's
 * own thread, the module held up the first lesson's board: ready to play 1.23 s into a first
 * visit against 0.97 s (medians of 4, measured here).
 *
 * The page keeps this worker for as long as it lives: Chromium writes the module's compiled
 * code to its cache later (once the interpreters that run it have optimised enough of it, and
 * two seconds have passed with nothing new), through the context that compiled it.
 */
import { compileOnPage, pyodideIndexURL } from './page-pyodide';
import { RUNTIME_ID } from './runtime-id';

void compileOnPage(pyodideIndexURL(import.meta.url), RUNTIME_ID.pyodide).then((module) => self.postMessage(module));
