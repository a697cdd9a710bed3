/**
 * Clears the constructor slots of the Pyodide C types a program must never make (the list and
 * why: `_UNMADE_TYPES` in src/runtime/python/_looplab/sandbox.py). Python cannot change a static
 * type's slots, so the host writes them in the interpreter's memory: `tp_new` and `tp_init` set
 * to NULL make CPython refuse `T(...)` ("cannot create 'T' instances") and leave nothing that
 * calls the type's own `__init__` (sandbox.py drops `__new__` and `__init__` from its dict).
 *
 * Before it writes, it checks that the memory at each address is laid out as the type Python
 * described (its size, base and dict where CPython 3.14 keeps them on wasm32); anything else
 * throws, and the interpreter is not used.
 */

/** What sandbox.py's `unmade_types()` says of one type (addresses in the interpreter's memory). */
export interface UnmadeType {
  name: string;
  address: number;
  base: number;
  dict: number;
  basicsize: number;
}

/**
 * Byte offsets in `PyTypeObject` for wasm32 (4-byte pointers and Py_ssize_t), from CPython 3.14's
 * Include/cpython/object.h: PyObject_VAR_HEAD (12 bytes), then tp_name, tp_basicsize … in order.
 */
export const TYPE_OFFSETS = {
  name: 12,
  basicsize: 16,
  base: 128,
  dict: 132,
  init: 148,
  new: 156,
} as const;

/** Thrown when a type in memory is not the type Python described: its slots are left alone. */
export class TypeSlotsError extends Error {
  override name = 'TypeSlotsError';
}

function cString(memory: DataView, address: number, max = 256): string {
  let text = '';
  for (let i = 0; i < max; i++) {
    const byte = memory.getUint8(address + i);
    if (byte === 0) return text;
    text += String.fromCharCode(byte);
  }
  return text;
}

/** Validates `unmade_types()`'s JSON: a list of types, each with its name, addresses and size. */
export function parseUnmadeTypes(json: string): UnmadeType[] {
  const value: unknown = JSON.parse(json);
  const address = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0 && (n as number) < 2 ** 32;
  if (!Array.isArray(value)) throw new TypeSlotsError('the sandbox named no types to close');
  return value.map((entry: unknown) => {
    const t = entry as Partial<UnmadeType> | null;
    if (!t || typeof t.name !== 'string' || !address(t.address) || !address(t.base) || !address(t.dict) || !address(t.basicsize)) {
      throw new TypeSlotsError(`not a type to close: ${JSON.stringify(entry)}`);
    }
    return { name: t.name, address: t.address, base: t.base, dict: t.dict, basicsize: t.basicsize };
  });
}

/**
 * Sets `tp_new` and `tp_init` of each type to NULL, after checking that its name, size, base and
 * dict are where CPython keeps them. Throws TypeSlotsError, having written nothing for that
 * type, if one does not match.
 */
export function clearConstructorSlots(memory: DataView, types: readonly UnmadeType[]): void {
  const word = (address: number): number => memory.getUint32(address, true);
  for (const type of types) {
    const at = type.address;
    if (at + TYPE_OFFSETS.new + 4 > memory.byteLength) throw new TypeSlotsError(`${type.name}: its address is outside the interpreter's memory`);
    const name = cString(memory, word(at + TYPE_OFFSETS.name));
    const laidOut =
      (name === type.name || name.endsWith(`.${type.name}`)) &&
      word(at + TYPE_OFFSETS.basicsize) === type.basicsize &&
      word(at + TYPE_OFFSETS.base) === type.base &&
      word(at + TYPE_OFFSETS.dict) === type.dict;
    if (!laidOut) throw new TypeSlotsError(`${type.name}: the type in memory is not laid out as CPython 3.14 lays it out on wasm32`);
    memory.setUint32(at + TYPE_OFFSETS.init, 0, true);
    memory.setUint32(at + TYPE_OFFSETS.new, 0, true);
  }
}
