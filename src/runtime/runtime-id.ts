/**
 * The runtime this build runs programs with (Pyodide's version, the tracer's SHA-256), set by
 * the build (build/runtime-id.ts). A trace recorded by another runtime is never reused.
 */
import type { RuntimeId } from '../shared/trace';

declare const __LOOPLAB_RUNTIME_ID__: RuntimeId | undefined;

export const RUNTIME_ID: RuntimeId =
  typeof __LOOPLAB_RUNTIME_ID__ !== 'undefined' ? __LOOPLAB_RUNTIME_ID__ : { pyodide: 'unknown', tracer: 'unbuilt' };

/** A short name for this runtime, safe in file names and storage keys. */
export const RUNTIME_TAG = `${RUNTIME_ID.pyodide}-${RUNTIME_ID.tracer.slice(0, 16)}`;
