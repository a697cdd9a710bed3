/**
 * What both shells' Python workers fix in their JavaScript realm once Python is up
 * (src/runtime/realm-lockdown.ts), on stand-ins for a realm's constructors: a real worker thread
 * is probed in node-worker-lockdown.test.ts, the browser's real worker in e2e/isolation.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import { closeStackTraceHook, fixFunctionMethods, freezeObjectPrototype, FUNCTION_METHODS_LOCKED, lockRealm } from '../src/runtime/realm-lockdown';

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
