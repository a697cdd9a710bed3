/**
 * The host's half of closing JsFuncSignature (src/runtime/type-slots.ts): it clears tp_new and
 * tp_init only where memory holds the type Python described, and writes nothing otherwise.
 */
import { describe, expect, it } from 'vitest';
import { clearConstructorSlots, parseUnmadeTypes, TYPE_OFFSETS, TypeSlotsError, type UnmadeType } from '../src/runtime/type-slots';

const TYPE_AT = 0x1000;
const NAME_AT = 0x2000;

function memoryWithType(name = 'JsFuncSignature'): { memory: DataView; type: UnmadeType } {
  const memory = new DataView(new ArrayBuffer(0x4000));
  const type: UnmadeType = { name, address: TYPE_AT, base: 0x3000, dict: 0x3100, basicsize: 64 };
  [...name].forEach((ch, i) => memory.setUint8(NAME_AT + i, ch.charCodeAt(0)));
  memory.setUint32(TYPE_AT + TYPE_OFFSETS.name, NAME_AT, true);
  memory.setUint32(TYPE_AT + TYPE_OFFSETS.basicsize, 64, true);
  memory.setUint32(TYPE_AT + TYPE_OFFSETS.base, 0x3000, true);
  memory.setUint32(TYPE_AT + TYPE_OFFSETS.dict, 0x3100, true);
  memory.setUint32(TYPE_AT + TYPE_OFFSETS.init, 0xaaaa, true);
  memory.setUint32(TYPE_AT + TYPE_OFFSETS.new, 0xbbbb, true);
  return { memory, type };
}

const slots = (memory: DataView): number[] => [memory.getUint32(TYPE_AT + TYPE_OFFSETS.init, true), memory.getUint32(TYPE_AT + TYPE_OFFSETS.new, true)];

describe('clearing a type\'s constructor slots', () => {
  it('sets tp_init and tp_new to NULL when the type is laid out as described', () => {
    const { memory, type } = memoryWithType();
    clearConstructorSlots(memory, [type]);
    expect(slots(memory)).toEqual([0, 0]);
    clearConstructorSlots(memory, [type]); // again (every start): still fine
    expect(slots(memory)).toEqual([0, 0]);
  });

  it.each<[string, (t: UnmadeType) => UnmadeType]>([
    ['another name', (t) => ({ ...t, name: 'JsProxy' })],
    ['another size', (t) => ({ ...t, basicsize: 72 })],
    ['another base', (t) => ({ ...t, base: 0x3004 })],
    ['another dict', (t) => ({ ...t, dict: 0x3104 })],
    ['an address past the memory', (t) => ({ ...t, address: 0x3ff0 })],
  ])('refuses %s, and writes nothing', (_label, change) => {
    const { memory, type } = memoryWithType();
    expect(() => clearConstructorSlots(memory, [change(type)])).toThrow(TypeSlotsError);
    expect(slots(memory)).toEqual([0xaaaa, 0xbbbb]);
  });

  it('reads only a list of well-formed types from the sandbox', () => {
    expect(parseUnmadeTypes('[{"name":"T","address":1,"base":2,"dict":3,"basicsize":4}]')).toEqual([{ name: 'T', address: 1, base: 2, dict: 3, basicsize: 4 }]);
    for (const bad of ['{}', '[{"name":"T","address":-1,"base":2,"dict":3,"basicsize":4}]', '[{"name":1,"address":1,"base":2,"dict":3,"basicsize":4}]', '[null]']) {
      expect(() => parseUnmadeTypes(bad)).toThrow(TypeSlotsError);
    }
  });
});
