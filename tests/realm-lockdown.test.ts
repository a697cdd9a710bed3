/**
 * What both shells' Python workers fix in their JavaScript realm once Python is up
 * (src/runtime/realm-lockdown.ts), on stand-ins for a realm's constructors: a real worker thread
 * is probed in node-worker-lockdown.test.ts, the browser's real worker in e2e/isolation.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import { closeErrorConstructors, closeStackTraceHook, ERROR_CONSTRUCTORS, fixFunctionMethods, freezeBuiltins, freezeObjectPrototype, FROZEN_PROTOTYPES, FROZEN_STATICS, FUNCTION_METHODS_LOCKED, lockRealm } from '../src/runtime/realm-lockdown';

describe('a worker’s realm, locked once Python is up', () => {
  it("freezes the scope's Object.prototype: a getter can no longer be planted there (and a scope without Object is left alone)", () => {
    const realm = { Object: { prototype: {} as Record<string, unknown>, freeze: Object.freeze } };
    freezeObjectPrototype(realm as unknown as Record<string, unknown>);
    expect(Object.isFrozen(realm.Object.prototype)).toBe(true);
    expect(() => Object.defineProperty(realm.Object.prototype, 'Comlink', { get: () => 'this' })).toThrow(TypeError);
    expect(() => freezeObjectPrototype({})).not.toThrow();
    expect(Object.isFrozen(Object.prototype)).toBe(false);
  });

  it("makes the scope's Error.prepareStackTrace undefined for good: no hook is handed the stack's receivers (attack 76)", () => {
    const realmError = function RealmError(): void {} as unknown as ErrorConstructor;
    closeStackTraceHook({ Error: realmError });
    expect(realmError.prepareStackTrace).toBeUndefined();
    expect(() => {
      realmError.prepareStackTrace = () => 'hooked';
    }).toThrow(TypeError);
    expect(realmError.prepareStackTrace).toBeUndefined();
    expect(() => closeStackTraceHook({})).not.toThrow();
  });

  it("fixes Function.prototype's call, apply and bind: a program's cannot replace them, and a function's own name and toString can still be set", () => {
    const prototype: Record<string, unknown> = { call: () => 'call', apply: () => 'apply', bind: () => 'bind', toString: () => 'source' };
    const realmFunction = { prototype } as unknown as FunctionConstructor;
    fixFunctionMethods({ Function: realmFunction });
    for (const name of FUNCTION_METHODS_LOCKED) {
      const kept = prototype[name];
      expect(() => {
        prototype[name] = () => 'hooked';
      }, name).toThrow(TypeError);
      expect(() => Object.defineProperty(prototype, name, { get: () => 'hooked' }), name).toThrow(TypeError);
      expect(prototype[name], name).toBe(kept);
    }
    prototype.toString = () => 'replaced';
    expect((prototype.toString as () => string)()).toBe('replaced');
    expect(() => fixFunctionMethods({})).not.toThrow();
  });

  it('freezes the builtins’ prototypes (and %TypedArray%’s) and the statics the worker’s own code calls: no fill, some or keys of a program’s (attack 77)', () => {
    // A stand-in realm: each constructor a function with a prototype of its own; the typed arrays
    // share a %TypedArray% prototype, as in a real realm.
    const typedArrayPrototype: Record<string, unknown> = { fill: () => 'fill' };
    const typedArray = function TypedArray(): void {};
    typedArrayPrototype.constructor = typedArray;
    const realm: Record<string, unknown> = { Object: { freeze: Object.freeze } };
    for (const name of FROZEN_PROTOTYPES) {
      const made = function Builtin(): void {};
      made.prototype = name.endsWith('Array') && name !== 'Array' ? Object.create(typedArrayPrototype) : { method: () => name };
      realm[name] = made;
    }
    for (const name of FROZEN_STATICS) if (!(name in realm)) realm[name] = { keys: () => name };
    freezeBuiltins(realm);
    for (const name of FROZEN_PROTOTYPES) {
      const prototype = (realm[name] as { prototype: Record<string, unknown> }).prototype;
      expect(Object.isFrozen(prototype), name).toBe(true);
      expect(() => {
        prototype.method = () => 'hooked';
      }, name).toThrow(TypeError);
    }
    expect(Object.isFrozen(typedArrayPrototype)).toBe(true);
    expect(() => {
      typedArrayPrototype.fill = () => 'hooked';
    }).toThrow(TypeError);
    expect(Object.isFrozen(typedArray)).toBe(true);
    for (const name of FROZEN_STATICS) expect(Object.isFrozen(realm[name]), name).toBe(true);
    // The realm's own things are untouched (the stand-in's freeze is the test's realm's).
    expect(Object.isFrozen(Array.prototype)).toBe(false);
    expect(() => freezeBuiltins({})).not.toThrow();
  });

  it('freezes the constructors of those prototypes as the prototypes name them (the realm’s own Date, not a stand-in put over it), and Function (atk-review)', () => {
    const realm: Record<string, unknown> = { Object: { freeze: Object.freeze } };
    const constructors: Record<string, { prototype: object }> = {};
    for (const name of FROZEN_PROTOTYPES) {
      const made = function Builtin(): void {};
      made.prototype = { constructor: made };
      constructors[name] = made;
      realm[name] = made;
    }
    // As wall-clock.ts leaves it: the global Date a stand-in sharing the realm's prototype, its clock set later.
    const standIn = function UtcDate(): void {};
    standIn.prototype = constructors.Date!.prototype;
    realm.Date = standIn;
    const realmFunction = function RealmFunction(): void {};
    realm.Function = realmFunction;
    freezeBuiltins(realm);
    for (const name of FROZEN_PROTOTYPES) expect(Object.isFrozen(constructors[name]), name).toBe(true);
    expect(() => Object.defineProperty(constructors.ArrayBuffer, 'isView', { value: () => false })).toThrow(TypeError);
    expect(Object.isFrozen(standIn)).toBe(false);
    Object.defineProperty(standIn, 'now', { value: () => 0 });
    expect(Object.isFrozen(realmFunction)).toBe(true);
  });

  it('fixes the error constructors’ statics and lets none be added; stackTraceLimit stays a number that can be set (Pyodide’s PythonError sets it)', () => {
    const realm: Record<string, unknown> = {};
    for (const name of ERROR_CONSTRUCTORS) {
      const made = function RealmError(): void {};
      Object.defineProperty(made, 'captureStackTrace', { value: () => 'capture', writable: true, configurable: true });
      Object.defineProperty(made, 'stackTraceLimit', { value: 10, writable: true, configurable: true, enumerable: true });
      realm[name] = made;
    }
    closeErrorConstructors(realm);
    for (const name of ERROR_CONSTRUCTORS) {
      const made = realm[name] as Record<string | symbol, unknown>;
      expect(() => Object.defineProperty(made, Symbol.hasInstance, { value: () => true }), name).toThrow(TypeError);
      expect(() => {
        made.captureStackTrace = () => 'hooked';
      }, name).toThrow(TypeError);
      expect(() => Object.defineProperty(made, 'stackTraceLimit', { get: () => 1 }), name).toThrow(TypeError);
      made.stackTraceLimit = Infinity;
      expect(made.stackTraceLimit, name).toBe(Infinity);
    }
    expect(() => closeErrorConstructors({})).not.toThrow();
  });

  it('lockRealm does all three, and leaves a scope without those names alone', () => {
    const realm = {
      Object: { prototype: {}, freeze: Object.freeze },
      Error: function RealmError(): void {} as unknown as ErrorConstructor,
      Function: { prototype: { call: () => 'call', apply: () => 'apply', bind: () => 'bind' } },
    };
    lockRealm(realm as unknown as Record<string, unknown>);
    expect(Object.isFrozen(realm.Object.prototype)).toBe(true);
    expect(Object.getOwnPropertyDescriptor(realm.Error, 'prepareStackTrace')).toMatchObject({ value: undefined, writable: false });
    expect(Object.getOwnPropertyDescriptor(realm.Function.prototype, 'call')).toMatchObject({ writable: false, configurable: false });
    expect(() => lockRealm({})).not.toThrow();
  });
});
