/**
 * What both shells' Python workers (the browser's Web Worker, the CLI's worker thread) fix in
 * their JavaScript realm once Python is up, before any program runs: the realm-wide hooks a
 * program that reached JavaScript (attack 74's memory and a forged JsProxy) could set to be
 * handed what Loop Lab's, Pyodide's or V8's own code later touches. Each shell's own ways out
 * are in browser-worker-lockdown.ts and node-worker-lockdown.ts; both call `lockRealm`.
 */

/** Function.prototype's methods that the worker's own code calls on its functions while a program runs. */
export const FUNCTION_METHODS_LOCKED = ['call', 'apply', 'bind'] as const;

/**
 * Locks `scope`'s realm (see the module's comment): Object.prototype frozen, Error's stack
 * hook closed, Function.prototype's call, apply and bind fixed. `scope` is the worker's global
 * object; a scope without these names is left alone.
 */
export function lockRealm(scope: Record<string, unknown>): void {
  freezeObjectPrototype(scope);
  closeStackTraceHook(scope);
  fixFunctionMethods(scope);
}

/**
 * Freezes `scope`'s Object.prototype: no getter can be planted there. A program that reached
 * JavaScript planted one (attack 75, helper-147), and every read of a name an object lacks
 * handed it that object: Pyodide's API as Pyodide read `API.Comlink`, the global object as
 * Emscripten looked `document` up. Nothing Loop Lab or Pyodide runs after the start adds to it
 * or assigns over its names (the tests of both shells run with it frozen).
 */
export function freezeObjectPrototype(scope: Record<string, unknown>): void {
  const objectConstructor = scope.Object as ObjectConstructor | undefined;
  if (objectConstructor?.prototype) objectConstructor.freeze(objectConstructor.prototype);
}

/**
 * Makes `scope`'s Error.prepareStackTrace undefined for good. V8 calls that hook, whoever set
 * it, with the structured stack of every error formatted in the thread: CallSites whose
 * getThis() is each sloppy frame's receiver and each WebAssembly frame's instance, and whose
 * getFunction() is each sloppy function on the stack. A program with attack 74's memory took
 * Error from a JsException's js_error, set the hook, and was handed the interpreter's
 * WebAssembly.Instance (all its exports; helper-150, attack 76); it would also be called by
 * every error the worker's own code formats from then on. Nothing in either worker sets it
 * (Node's source maps use a callback of their own); errors are formatted as V8 formats them.
 */
export function closeStackTraceHook(scope: Record<string, unknown>): void {
  const errorConstructor = scope.Error as ErrorConstructor | undefined;
  if (!errorConstructor) return;
  try {
    Object.defineProperty(errorConstructor, 'prepareStackTrace', { value: undefined, writable: false, configurable: false });
  } catch {
    // Already fixed by someone else: nothing more this thread can do about it.
  }
}

/**
 * Makes Function.prototype's call, apply and bind neither writable nor configurable. Replaced by
 * a program, each would be handed every function the worker's own code calls through it, with
 * its receiver and arguments: the memory cap's original `grow` and the interpreter's Memory
 * (engine.ts, which now calls through a Reflect.apply kept from its start), Emscripten's own
 * file functions, Pyodide's internals (helper-149). Only these three, not the whole prototype:
 * code that assigns a function's own `name` or `toString` keeps working.
 */
export function fixFunctionMethods(scope: Record<string, unknown>): void {
  const functionConstructor = scope.Function as FunctionConstructor | undefined;
  const prototype = functionConstructor?.prototype as Record<string, unknown> | undefined;
  if (!prototype) return;
  for (const name of FUNCTION_METHODS_LOCKED) {
    try {
      Object.defineProperty(prototype, name, { writable: false, configurable: false });
    } catch {
      // Already fixed by someone else: nothing more this thread can do about it.
    }
  }
}
