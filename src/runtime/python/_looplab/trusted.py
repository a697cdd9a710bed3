"""The code that was there before any program: trusted by identity, never by file name.

Two things the tracer does depend on whose code is running:

* the step budget counts every line of code the program brought itself (``exec``, ``eval``,
  ``compile``, a module it wrote and imported …), and not the lines of the standard library or
  of this package, which run at full speed (lines.make_foreign_hooks);
* this package's frames are kept out of the learner's tracebacks and out of the program's own
  trace and profile hooks (tracebacks.own_code).

A code object's ``co_filename`` is the program's to choose: ``compile(src, "/lib/python3.14/x.py",
"exec")``, or a file written under ``/lib/python3.14/site-packages`` or this package's folder
(both writable, like all of Emscripten's file system) and imported. Trusted by file name, a
reviewer's ``while True`` ran past the step budget, unseen, until the wall-clock limit (8 s
instead of 1.9 s: attacks 55 to 58). So trust follows identity: the code objects alive when the
runtime was installed (``remember()``, before any snapshot is made, so a restored interpreter
has the same ones at the same addresses), held here so that none is freed and its address
given to code the program makes. Code objects are made by the compiler only (codeguard.py), so
nothing a program runs can be one of these.

What is left out: standard-library modules first imported while a program runs (``statistics``,
``csv`` …, 47 of them for a program importing 60 common modules) are compiled then, from source,
by the program's import: their lines count toward its budget, as ``exec``'d code does.
Measured here (Pyodide 314.0.7, the tracer installed): 6,090 code objects, 574 of them the tracer's.
"""

import gc
import types

from .identity import address_key

# Keys (identity.address_key) of every code object alive at install, and of this package's.
_present_keys = frozenset()
_own_keys = frozenset()
# The code objects themselves: held, so that their addresses are never reused.
_present_codes = ()


def remember(own_prefix):
    """Notes every code object alive now (reachable from a function, or nested in one's
    constants) as trusted, and those whose file starts with ``own_prefix`` (this package's
    folder) as this package's. Once, at install, after every module of this package and the
    standard library's preloaded ones are imported, and before ``gc.freeze()`` (frozen objects
    are not listed by ``gc.get_objects()``)."""
    global _present_keys, _own_keys, _present_codes
    function_type, code_type = types.FunctionType, types.CodeType
    found = {}
    pending = [obj.__code__ for obj in gc.get_objects() if type(obj) is function_type]
    while pending:
        code = pending.pop()
        key = address_key(code)
        if key in found:
            continue
        found[key] = code
        pending.extend(const for const in code.co_consts if type(const) is code_type)
    _present_codes = tuple(found.values())
    _present_keys = frozenset(found)
    _own_keys = frozenset(key for key, code in found.items() if code.co_filename.startswith(own_prefix))
    present_before.__defaults__ = (_present_keys, address_key)
    own_code.__defaults__ = (_own_keys, address_key)


def present_before(code, _keys=frozenset(), _key_of=address_key):
    """True for a code object that was alive at install (asyncio's, the rest of the standard
    library's preloaded modules, Pyodide's, this package's): what "asyncio's own code" means
    wherever the tracer reads a frame by its file's name (observe.py, inside.py).

    The keys are this function's own default, set once by remember(), not this module's name:
    a program can rebind a module's names (``sys.modules['_looplab.trusted']._own_keys = …``,
    a reviewer's), and not a function's defaults of this package's (codeguard.py refuses it)."""
    return _key_of(code) in _keys


def present_keys():
    """``(keys, codes)``: the keys (identity.address_key, a frozenset) of the code objects alive
    at install (the standard library's preloaded modules, Pyodide's, this package's), and the
    tuple that holds those code objects. A run's hooks take both as they are made, before the
    program could rebind this module's names, and hold the tuple themselves: a program that
    let go of this module's (``_present_codes = None``) freed them, and compiled code of its
    own at a freed one's address, which then passed for it (a reviewer's). The keys are
    present_before's own (a program may have rebound this module's in an earlier run of the
    same interpreter)."""
    return present_before.__defaults__[0], _present_codes


def own_code(code, _keys=frozenset(), _key_of=address_key):
    """True for a code object of this package (never shown to the learner); its keys held as
    present_before's are."""
    return _key_of(code) in _keys
