# Attack: bytecode written by hand. LOAD_CONST reads co_consts without a bounds check, so a code object whose co_code the program wrote turns any address into an object: a reviewer made a bytearray over all of the interpreter's memory, pointed gc.get_freeze_count's method table entry at the real gc.unfreeze, and reached a JavaScript Function through attack 37's converter.
# Every way to make a code object by hand must be refused: code.replace, types.CodeType, copy.replace, marshal.loads (and a .pyc file the program writes and imports). Code the compiler makes, and types.coroutine, still work.
import copy
import marshal
import os
import sys
import types


def template():
    return None


# RESUME 0; EXTENDED_ARG x3; LOAD_CONST 0xffffff00; RETURN_VALUE: a read far past co_consts.
EVIL = bytes([128, 0, 69, 0xFF, 69, 0xFF, 69, 0xFF, 82, 0x00, 35, 0])
code = template.__code__


def attempt(name, make):
    try:
        made = make()
    except BaseException as error:  # noqa: BLE001 -- any refusal is a pass
        print(f"blocked: {name}: {type(error).__name__}")
        return
    if isinstance(made, types.CodeType) and made.co_code == EVIL:
        print(f"ESCAPED: {name} made a code object with hand-written bytecode")
    else:
        print(f"blocked: {name}: gave {type(made).__name__}")


attempt("code.replace", lambda: code.replace(co_code=EVIL))
attempt("code.__replace__", lambda: code.__replace__(co_code=EVIL))
attempt("copy.replace", lambda: copy.replace(code, co_code=EVIL))
attempt("types.CodeType", lambda: types.CodeType(
    code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount, code.co_nlocals,
    code.co_stacksize, code.co_flags, EVIL, code.co_consts, code.co_names, code.co_varnames,
    code.co_filename, code.co_name, code.co_qualname, code.co_firstlineno, code.co_linetable,
    code.co_exceptiontable))
attempt("type(code)", lambda: type(code)(
    code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount, code.co_nlocals,
    code.co_stacksize, code.co_flags, EVIL, code.co_consts, code.co_names, code.co_varnames,
    code.co_filename, code.co_name, code.co_qualname, code.co_firstlineno, code.co_linetable,
    code.co_exceptiontable))
# marshal: the format of a code object, with its bytecode swapped for the hand-made one.
def length_prefixed(data):
    return len(data).to_bytes(4, "little") + data


forged = marshal.dumps(code).replace(length_prefixed(code.co_code), length_prefixed(EVIL))
attempt("marshal.loads", lambda: marshal.loads(forged))

# A .pyc the program writes beside a module of its own, then imports without the source.
import importlib.util

folder = "/tmp/handmade"
os.makedirs(folder, exist_ok=True)
with open(f"{folder}/evil.pyc", "wb") as pyc:
    pyc.write(importlib.util.MAGIC_NUMBER + b"\x00" * 12 + marshal.dumps(compile("made = 'by the compiler'", "evil", "exec")))
sys.path.insert(0, folder)
try:
    import evil
    print(f"ESCAPED: a .pyc the program wrote was loaded: {evil.made}")
except ImportError as error:
    print(f"blocked: a .pyc the program wrote: {type(error).__name__}")
finally:
    sys.path.remove(folder)

# Still working: code the compiler makes, modules imported from source, types.coroutine.
namespace = {}
exec(compile("def double(x):\n    return 2 * x\n", "made.py", "exec"), namespace)
assert namespace["double"](21) == 42
import statistics  # not imported before the run: compiled from its source now

assert statistics.mean([1, 2, 3]) == 2


@types.coroutine
def tick():
    yield


async def main():
    await tick()
    return "awaited"


import asyncio

assert asyncio.run(main()) == "awaited"
print("the compiler, an import from source and types.coroutine all work")
