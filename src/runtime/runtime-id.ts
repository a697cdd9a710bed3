/**
 * The runtime this build runs programs with (Pyodide's version, the tracer's SHA-256), set by
 * the build (build/runtime-id.ts). A trace recorded by another runtime is never reused.
 */
import type { RuntimeId } from '../shared/trace';

declare const __LOOPLAB_RUNTIME_ID__: RuntimeId | undefined;

export const RUNTIME_ID: RuntimeId =
  typeof __LOOPLAB_RUNTIME_ID__ !== 'undefined' ? __LOOPLAB_RUNTIME_ID__ : { pyodide: 'unknown', tracer: 'unbuilt' };

/** A short name for a runtime, safe in file names and storage keys: `314.0.7-<16 hex digits of the tracer's hash>`. */
export function runtimeTag(runtime: RuntimeId): string {
  return `${runtime.pyodide}-${runtime.tracer.slice(0, 16)}`;
}

/** This runtime's short name (runtimeTag). */
export const RUNTIME_TAG = runtimeTag(RUNTIME_ID);
