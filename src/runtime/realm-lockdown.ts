/**
 * What both shells' Python workers (the browser's Web Worker, the CLI's worker thread) fix in
 * their JavaScript realm once Python is up, before any program runs: the realm-wide hooks a
 * program that reached JavaScript (attack 74's memory and a forged JsProxy) could set to be
 * handed what Loop Lab's, Pyodide's or V8's own code later touches (or to change what it does:
 * a `fill` that does nothing left the end-of-run wipe undone, attack 77). Each shell's own ways out
 * are in browser-worker-lockdown.ts and node-worker-lockdown.ts; both call `lockRealm`.
 */

/** Function.prototype's methods that the worker's own code calls on its functions while a program runs. */
export const FUNCTION_METHODS_LOCKED = ['call', 'apply', 'bind'] as const;

/**
 * The constructors whose prototypes are frozen whole: what the worker's own code calls methods of
 * while a program runs and at its end, on objects it holds (file-caps.ts walks Emscripten's open
 * streams with Array.prototype.some and counts files in a WeakMap, Map and Set; engine.ts reads
 * the interpreter's memory through typed arrays; Pyodide settles promises). A program that reached
 * JavaScript reaches each of these prototypes from an object of its own (helper-151: a typed
 * array from a list's toJs, the file caps' bookkeeping handed Emscripten's streams). None is
 * assigned over after the start: code that sets an array's or a map's own entries is unaffected,
 * as only names the prototype has are refused (and the tests of both shells run with them frozen).
 */
export const FROZEN_PROTOTYPES = [
  'Array',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'FinalizationRegistry',
  'Promise',
  'String',
  'Number',
  'Boolean',
  'Symbol',
  'BigInt',
  'RegExp',
  'Date',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  // The memory device encodes with a TextEncoder, the frame reader decodes with a TextDecoder
  // while a program runs (engine.ts): neither takes a method of the program's.
  'TextEncoder',
  'TextDecoder',
] as const;

/**
 * The objects of static functions frozen whole (Object.keys, Object.defineProperty, Reflect.apply,
 * JSON.parse, Math …: the worker's own code calls them with what it holds while a program runs).
 */
export const FROZEN_STATICS = ['Object', 'Reflect', 'JSON', 'Math', 'Array', 'Promise', 'Number', 'String', 'Symbol', 'Atomics'] as const;

/**
 * Locks `scope`'s realm (see the module's comment): Object.prototype frozen, Error's stack
 * hook closed, Function.prototype's call, apply and bind fixed, the prototypes of
 * FROZEN_PROTOTYPES (and %TypedArray%'s, which every typed array shares) and the statics of
 * FROZEN_STATICS frozen. `scope` is the worker's global object; a scope without these names is
 * left alone.
 */
export function lockRealm(scope: Record<string, unknown>): void {
  freezeObjectPrototype(scope);
  closeStackTraceHook(scope);
  fixFunctionMethods(scope);
  freezeBuiltins(scope);
}

/**
 * Freezes the prototypes of FROZEN_PROTOTYPES and their constructors, %TypedArray%.prototype and
 * its constructor, the objects of FROZEN_STATICS, the iterators' prototypes, WebAssembly's
 * classes and their prototypes, and `Function` (not its prototype: see fixFunctionMethods), as
 * `scope` has them; and fixes the error constructors' statics (closeErrorConstructors).
 */
export function freezeBuiltins(scope: Record<string, unknown>): void {
  const freeze = (scope.Object as ObjectConstructor | undefined)?.freeze;
  if (typeof freeze !== 'function') return;
  const prototypeOf = (name: string): object | null => {
    const made = scope[name] as { prototype?: unknown } | undefined;
    return typeof made?.prototype === 'object' && made.prototype !== null ? made.prototype : null;
  };
  for (const name of FROZEN_PROTOTYPES) {
    const prototype = prototypeOf(name);
    if (prototype === null) continue;
    freeze(prototype);
    // The constructor too, as the prototype names it (the realm's own: the global `Date` is
    // wall-clock.ts's by now, which its clock still sets): a frozen prototype left its
    // constructor open to statics of a program's. ArrayBuffer.isView, which the file caps count
    // every file with (file-caps.ts), said false and a program's files counted nothing: 1 GB of
    // them past the 384 MB cap; Int32Array.from, which Engine.run called once the tracer has
    // ended, ran the program's Python after its run, untraced (atk-review, attack 78).
    freezeConstructorOf(prototype, freeze);
  }
  // %TypedArray%.prototype: fill, set, subarray, and the buffer and length getters are there.
  const uint8 = prototypeOf('Uint8Array');
  const typedArray = uint8 === null ? null : (Object.getPrototypeOf(uint8) as object | null);
  if (typedArray !== null) {
    freeze(typedArray);
    const typedArrayConstructor = (typedArray as { constructor?: unknown }).constructor;
    if (typeof typedArrayConstructor === 'function') freeze(typedArrayConstructor);
  }
  for (const name of FROZEN_STATICS) {
    const statics = scope[name];
    if ((typeof statics === 'object' || typeof statics === 'function') && statics !== null) freeze(statics);
  }
  for (const prototype of iteratorPrototypes(scope)) freeze(prototype);
  // No Symbol.hasInstance of a program's: Pyodide's proxies ask `instanceof Function` of their targets.
  if (typeof scope.Function === 'function') freeze(scope.Function);
  // WebAssembly's classes' prototypes: the engine's memory cap is installed on Memory.prototype
  // before (engine.ts), and Emscripten reads the heap through its `buffer` getter; a program's
  // there would have pointed the end-of-run wipe at a buffer of its own (helper-152). Not the
  // namespace: the engine's wrappers put WebAssembly.Module back after the start
  // (wrapper-modules.ts).
  const webAssembly = scope.WebAssembly as Record<string, { prototype?: unknown } | undefined> | undefined;
  if (typeof webAssembly === 'object' && webAssembly !== null) {
    for (const name of WEBASSEMBLY_CLASSES) {
      const prototype = webAssembly[name]?.prototype;
      if (typeof prototype !== 'object' || prototype === null) continue;
      freeze(prototype);
      // The original class (wrapper-modules.ts's Module stands in for it until the start ends).
      freezeConstructorOf(prototype, freeze);
    }
  }
  closeErrorConstructors(scope);
}

/** Freezes `prototype`'s own `constructor`, if it is a function. */
function freezeConstructorOf(prototype: object, freeze: (target: object) => unknown): void {
  const made = Object.getOwnPropertyDescriptor(prototype, 'constructor')?.value as unknown;
  if (typeof made === 'function') freeze(made);
}

/** The error constructors whose statics are fixed (closeErrorConstructors). */
export const ERROR_CONSTRUCTORS = ['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'AggregateError'] as const;

/**
 * Fixes the statics of `scope`'s error constructors, and lets none be added: a program had
 * `Symbol.hasInstance` of its own on Error (every `instanceof Error` of the worker's and
 * Pyodide's handed it the value asked about) and `Error.stackTraceLimit` a getter (Pyodide's
 * PythonError reads it as each is made). Not frozen whole: Pyodide's PythonError sets
 * `stackTraceLimit` around its `super` call, so that stays writable, a plain number.
 */
export function closeErrorConstructors(scope: Record<string, unknown>): void {
  for (const name of ERROR_CONSTRUCTORS) {
    const made = scope[name];
    if (typeof made !== 'function') continue;
    for (const key of Reflect.ownKeys(made)) {
      const descriptor = Object.getOwnPropertyDescriptor(made, key);
      if (!descriptor?.configurable) continue;
      try {
        if (key === 'stackTraceLimit' && 'value' in descriptor) Object.defineProperty(made, key, { configurable: false });
        else Object.defineProperty(made, key, 'value' in descriptor ? { writable: false, configurable: false } : { configurable: false });
      } catch {
        // Fixed by someone else: nothing more this thread can do about it.
      }
    }
    Object.preventExtensions(made);
  }
}

/** WebAssembly's classes whose prototypes are frozen. */
export const WEBASSEMBLY_CLASSES = ['Memory', 'Table', 'Instance', 'Module', 'Global', 'Tag', 'Exception'] as const;

/**
 * The prototypes every `for…of`, spread and `Array.from` goes through, as `scope` makes them:
 * %IteratorPrototype% and the array, map, set, string and regexp-string iterators' (helper-152:
 * a program's `next` there would be handed what the worker's own code iterates), and, in the
 * realm this module runs in, the generators'. Empty for a scope without those constructors.
 */
function iteratorPrototypes(scope: Record<string, unknown>): object[] {
  const found: object[] = [];
  const add = (make: () => unknown): void => {
    try {
      const iterator = make();
      if (iterator === null || typeof iterator !== 'object') return;
      // The iterator's whole chain up to Object.prototype (which freezeObjectPrototype has).
      const top = (scope.Object as { prototype?: unknown } | undefined)?.prototype;
      for (let at = Object.getPrototypeOf(iterator) as object | null; at !== null && at !== top; at = Object.getPrototypeOf(at) as object | null) found.push(at);
    } catch {
      // A stand-in realm without it: nothing to freeze.
    }
  };
  const made = (name: string, args: unknown[] = []): unknown => Reflect.construct(scope[name] as new (...args: unknown[]) => unknown, args);
  add(() => Reflect.apply((scope.Array as ArrayConstructor).prototype.values, made('Array'), []));
  add(() => Reflect.apply((scope.Map as MapConstructor).prototype.entries, made('Map'), []));
  add(() => Reflect.apply((scope.Set as SetConstructor).prototype.values, made('Set'), []));
  add(() => Reflect.apply((scope.String as StringConstructor).prototype[Symbol.iterator], '', []));
  add(() => Reflect.apply((scope.String as StringConstructor).prototype.matchAll, '', [made('RegExp', ['a', 'g'])]));
  if (scope === (globalThis as unknown)) {
    add(() => (function* generator() {})());
    add(() => (async function* asyncGenerator() {})());
  }
  return found;
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
