/**
 * The tracer's Python package (src/runtime/python/_looplab), as text: the engine writes these
 * files into the interpreter's file system. Keyed by file name (`runner.py` …).
 */
const modules = import.meta.glob<string>('./python/_looplab/*.py', { query: '?raw', import: 'default', eager: true });

export const TRACER_FILES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(modules)
    .map(([path, text]) => [path.slice(path.lastIndexOf('/') + 1), text] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
);
