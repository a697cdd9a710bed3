"""No program makes a code object by hand.

Bytecode is trusted by CPython: ``LOAD_CONST`` does not check its index, so a code object
whose ``co_code`` a program wrote itself (``code.replace(co_code=…)``, ``CodeType(…)``, or
``marshal.loads`` of bytes it made) reads an object at any address it likes. A reviewer used
that to forge a ``bytearray`` over all of the interpreter's memory, call the real
``gc.unfreeze`` through a method table, and reach a JavaScript ``Function`` (attack 39). Code
made by the compiler (``compile``, ``exec``, ``eval``, imports from source) is checked as it is
made, and stays allowed.

``close_hand_made_code()`` adds an audit hook (PEP 578; it cannot be removed) that refuses
(and, to keep itself out of reach, ``gc.get_referents`` of a frame: see ``_make_hook``):

* ``code.__new__``: ``types.CodeType(…)``, ``code.replace(…)``, ``copy.replace(code, …)``
  (all three raise that event, Objects/codeobject.c);
* ``fcntl.fcntl`` and ``fcntl.ioctl`` with anything but a buffer where C takes a pointer:
  CPython hands the number on as it is, and Emscripten's ``fcntl(fd, F_GETLK, n)`` writes a
  16-bit 2 at address ``n`` (``HEAP16[n >> 1] = 2``): a fifth attacker changed an immutable
  ``bytes`` with one call, and with a few more forged a ``bytearray`` over all of memory and
  reached a JavaScript ``Function`` from the CLI (attack 54). A number is taken only by the
  commands whose third argument is one (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL,
  F_SETFL: the tracer moves its own descriptors with F_DUPFD); a bytes, bytearray, str or
  memoryview argument is copied into a buffer of CPython's own (or, for ioctl, written in
  place), and stays allowed; any other object is refused too, since C reads one that is no
  buffer through its ``__index__`` (a reviewer's ``Addr()`` whose ``__index__`` gave an address);
* ``marshal.loads`` and ``marshal.load``: the standard library's bytecode is loaded that way,
  so its imports go to the sources beside it instead (zipimport and importlib take an
  ``ImportError`` from the bytecode as "no usable bytecode", Lib/zipimport.py
  ``_get_module_code``, Lib/importlib/_bootstrap_external.py ``SourceLoader.get_code``); the
  standard library's modules a program uses are nearly all imported before it runs (the
  snapshot holds 279), and one not yet imported is compiled from source as it is imported.

``types.coroutine`` changed the flags of a generator function's code (``code.replace``): it now
wraps such a function instead, as it already wraps any other callable (its generators are
awaited through ``types._GeneratorWrapper``).

The hook is a plain function made before the start-up's objects are frozen (sandbox.py,
``_keep_frozen``): nothing a program can list (``gc.get_objects()``) or name holds it.
"""

import sys

from .trusted import own_code

# CPython's own, taken at import: the program's sys.addaudithook is hooks.py's stand-in.
_addaudithook = sys.addaudithook


def close_hand_made_code():
    """Adds the audit hook, sends imports to sources, and mends ``types.coroutine``. Once,
    after the snapshot is restored and before any program runs."""
    sys.dont_write_bytecode = True
    _sources_first()
    _coroutine_without_new_code()
    _addaudithook(_make_hook(RuntimeError, ImportError))


def _make_hook(refused, no_bytecode):
    """The hook, holding all it uses in its own defaults (even ``type``), never in a namespace
    or a closure cell a program could change.

    A hook written in Python runs in a frame, and the exception it raises carries that frame in
    its traceback; ``gc.get_referents(frame)`` gave a reviewer the hook function itself, whose
    ``__code__`` could then be swapped for a body that refuses nothing (or, with
    ``__cantrace__`` set, a trace function could jump past its ``raise``). So the hook also
    refuses ``gc.get_referents`` of any frame: nothing else leads from a frame to its function,
    and the function is frozen (out of ``gc.get_objects()`` and ``gc.get_referrers()``).

    What it costs: with any audit hook at all, every audited operation builds its event (a
    name, a tuple of arguments) and calls the hooks; the tracer's own reads of frames and
    coroutines (``f_code``, ``cr_frame`` …) are audited, and ``id()`` is (the tracer keys its
    tables by identity.address_key instead). Measured in Pyodide here: ``id(x)`` 244–278 ns
    with no hook, 1,190–1,420 ns with this one, ~1,190 ns with a hook written in C
    (``functools.partial(getattr, module)``): building the event costs what the call of a hook
    in Python does. bench/programs/server_200_clients.py traced, with the hook and without:
    ~2.2–2.6 s either way."""
    import fcntl
    import types

    takes_a_number = frozenset((fcntl.F_DUPFD, getattr(fcntl, "F_DUPFD_CLOEXEC", fcntl.F_DUPFD),
                                fcntl.F_GETFD, fcntl.F_SETFD, fcntl.F_GETFL, fcntl.F_SETFL))

    # Everything the hook uses is a default of its own arguments: its frame's locals, not
    # closure cells (a frame's f_locals writes through to cells: PEP 667), nor names a module
    # or builtins could rebind. A write to a finished frame's locals changes that frame only.
    def refuse_hand_made_code(event, args, *, refused=refused, no_bytecode=no_bytecode,
                              type_of=type, frame_type=types.FrameType,
                              takes_a_number=takes_a_number, bytes_type=bytes,
                              bytearray_type=bytearray, str_type=str, memoryview_type=memoryview,
                              function_type=types.FunctionType, own_code=own_code):
        if event == "object.__setattr__" or event == "object.__delattr__":
            # Loop Lab's own functions stay as they were made, whatever module they are named
            # for (sys.settrace, sys.monitoring's): their code, defaults and names (trusted.py's
            # checks hold their keys in their defaults; a wrapper of sys.monitoring's given code
            # of the program's would run it with this package's globals, the real
            # sys.monitoring among them). Told by their code, by identity (trusted.own_code);
            # reading it here raises an event of its own, which passes through. Classes are
            # left as python3 leaves them (a Python class of the standard library's can be
            # patched there, and Loop Lab's stand in for some).
            target = args[0]
            if type_of(target) is function_type and own_code(target.__code__):
                raise refused(f"Loop Lab's own functions cannot be changed ({args[1]!s:.40})")
        if event == "code.__new__":
            raise refused("code objects cannot be made by hand in Loop Lab (compile() makes them from source)")
        if event == "marshal.loads" or event == "marshal.load":
            raise no_bytecode("Loop Lab loads no bytecode: modules are compiled from source")
        if event == "fcntl.fcntl" or event == "fcntl.ioctl":
            # (fd, command, arg): arg None when the program gave none, which C gets as 0. Where C
            # takes a pointer, only a buffer of a type CPython made passes, told by identity (no
            # metaclass __eq__ asked): C copies it into a buffer of its own, or (ioctl) writes
            # into it. Anything else is refused, not only an int: C reads an object that is no
            # buffer through its __index__ (format "I"), so one of the program's passed this
            # check as no int and was then a pointer to C (a reviewer's: attack 54 again, 64).
            arg = args[2]
            kind = type_of(arg)
            buffer = kind is bytes_type or kind is bytearray_type or kind is str_type or \
                kind is memoryview_type
            if not buffer and (event == "fcntl.ioctl" or args[1] not in takes_a_number):
                raise refused(f"{event}() with anything but a bytes, bytearray, str or memoryview "
                              "where C takes a pointer would write into Loop Lab's own memory: "
                              "give it a buffer")
        if event == "gc.get_referents":
            for obj in args[0]:
                if type_of(obj) is frame_type:
                    raise refused("Loop Lab does not list what a frame refers to")

    return refuse_hand_made_code


def _sources_first():
    """zipimport looks for a module's source, not its bytecode (the compiled standard library,
    out/pyodide/python_stdlib.zip, has both): no bytecode is read only to be refused."""
    import zipimport

    order = getattr(zipimport, "_zip_searchorder", None)
    if isinstance(order, tuple):
        zipimport._zip_searchorder = tuple(entry for entry in order if not entry[1])


def _coroutine_without_new_code():
    import functools
    import types

    original = types.coroutine
    function_type, code_type, wrapper = types.FunctionType, types.CodeType, types._GeneratorWrapper

    def coroutine(func):
        """Convert regular generator function to a coroutine."""
        code = getattr(func, "__code__", None)
        if (func.__class__ is function_type and code.__class__ is code_type
                and code.co_flags & 0x20 and not code.co_flags & 0x180):
            # A generator function (CO_GENERATOR, and not a coroutine already): wrapped.
            @functools.wraps(func)
            def wrapped(*args, **kwargs):
                return wrapper(func(*args, **kwargs))
            return wrapped
        return original(func)

    coroutine.__module__ = original.__module__
    coroutine.__qualname__ = original.__qualname__
    types.coroutine = coroutine
