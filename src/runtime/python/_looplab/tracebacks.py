"""Tracebacks and warnings as CPython shows them: without this package's frames, and with the
standard library's source lines."""

import linecache
import os
import sys
import traceback

from .describe import _TYPE_QUALNAME
from .headroom import MOST
from .headroom import get_limit as _getlimit
from .headroom import set_limit as _setlimit
from .trusted import own_code

PACKAGE_DIR = os.path.dirname(__file__) + os.sep if "__file__" in globals() else "<looplab>"


def _own_frame(frame):
    return own_code(frame.f_code)


def hide_own_frames():
    """Keep this file's frames out of every traceback Python formats, not just the last one.

    The learner's code runs under ``run()`` here, and the loop's ``run_forever`` and
    ``_run_once`` are overridden here, so an exception's traceback holds frames of this file:
    at the bottom, and between ``base_events.py`` frames. ``_report_exception`` trims the
    uncaught exception's, but tracebacks are also formatted while the program runs: asyncio's
    "Task exception was never retrieved", "Exception in callback", ``traceback.print_exc()``
    in the learner's code. All of those walk frames with these three functions of the
    ``traceback`` module; skipping our frames there gives the frames CPython would show.
    """
    walk_tb = traceback.walk_tb
    walk_stack = traceback.walk_stack

    def walk_tb_without_ours(tb):
        return ((f, n) for f, n in walk_tb(tb) if not _own_frame(f))

    def walk_stack_without_ours(f):
        if f is None:
            f = sys._getframe().f_back
        return ((fr, n) for fr, n in walk_stack(f) if not _own_frame(fr))

    traceback.walk_tb = walk_tb_without_ours
    traceback.walk_stack = walk_stack_without_ours
    walk_full = getattr(traceback, "_walk_tb_with_full_positions", None)
    if walk_full is not None:
        traceback._walk_tb_with_full_positions = \
            lambda tb: ((f, p) for f, p in walk_full(tb) if not _own_frame(f))


def name_stdlib_sources():
    """Modules of the standard library name their source file, as CPython's do.

    The library is imported from a zip that holds each module's bytecode beside its source
    (scripts/compile-stdlib.ts), and zipimport names a module loaded from ``x.pyc`` by that
    file: ``print(asyncio)`` read ``<module 'asyncio' from '…/asyncio/__init__.pyc'>``, where
    CPython prints the ``.py``. The zip importer now names the source beside it (the bytecode
    is still what is loaded), and the modules imported before this ran are renamed too.
    """
    import zipimport

    get_filename = zipimport.zipimporter.get_filename

    def get_source_filename(self, fullname):
        path = get_filename(self, fullname)
        return path[:-1] if path.endswith(".pyc") else path

    zipimport.zipimporter.get_filename = get_source_filename
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if not (isinstance(path, str) and path.endswith(".pyc")
                and isinstance(getattr(module, "__loader__", None), zipimport.zipimporter)):
            continue
        module.__file__ = path[:-1]
        spec = getattr(module, "__spec__", None)
        if spec is not None and spec.origin == path:
            spec.origin = path[:-1]


def read_stdlib_lines():
    """Let linecache read the standard library's source whenever it is asked for a line.

    The stdlib sits in a zip here, which linecache can only read through a module's loader:
    a traceback passes it the module's globals, a warning does not. So a warning raised in
    asyncio ("coroutine ... was never awaited", attributed to events.py) showed its source
    line only if an earlier traceback, in this run or any run before, had loaded that file:
    the output changed from run to run. CPython reads the file from disk and always shows the
    line; so does this, by finding the loaded module a file name belongs to.
    """
    getlines = linecache.getlines

    def getlines_from_loaded_modules(filename, module_globals=None):
        if module_globals is None and filename not in linecache.cache:
            for module in list(sys.modules.values()):
                if getattr(module, "__file__", None) == filename:
                    module_globals = module.__dict__
                    break
        return getlines(filename, module_globals)

    linecache.getlines = getlines_from_loaded_modules


# _PyTraceBack_Print's cut for recursion (Python/traceback.c, TB_RECURSIVE_CUTOFF).
_RECURSIVE_CUTOFF = 3
_TRACEBACK_LIMIT = 1000  # PyTraceBack_LIMIT, when sys.tracebacklimit is not an int
_WASM_LONG_MAX = 2**31 - 1  # a C long here (wasm32): PyLong_AsLongAndOverflow's ceiling
_HOOK_HEADROOM = 60  # frames the hook may add past the program's recursion limit (see headroom.py)
# The learner's program's lines, by file name, for this run (set by the runner): the hook reads
# no other file of the program's, as CPython's reads only files on disk, and never a module's
# __loader__ (a program's own, asked for its source, would run where python3 runs nothing).
PROGRAM_LINES = {}
_walk_tb = traceback.walk_tb
_stdlib_lines = {}  # file name -> lines, read from the standard library's zip by the hook


class RefusedCallback(Exception):
    """Raised as a frame starts that gc called after a collection of the program's teardown,
    where python3 calls none (quietgc.py): gc reports it here, and nothing is printed."""


def print_unraisable_as_cpython():
    """``sys.unraisablehook``: an exception nobody can catch (raised in a ``__del__``, a weakref
    callback, a generator's close) printed as CPython 3.14's default hook prints it
    (``write_unraisable_exc_file`` in Python/errors.c), piece by piece, with two differences
    that make it what python3 shows for the same program run from a file: the frames are read
    past this package's (the default hook showed streams.py under a ``__del__`` that printed a
    lone surrogate), and each frame's source line is the learner's program's or the standard
    library's (the default hook reads only files on disk: here neither is). In order: the
    header (``err_msg``, the object's repr), ``Traceback (most recent call last):`` and the
    frames (the last ``sys.tracebacklimit``, read as C reads it; a frame repeated more than 3
    times in a row cut with ``[Previous line repeated N more times]``), then
    ``module.Qualname: str(value)`` only: no notes, no chained exception. A repr or str that
    fails, or whose write fails, is written as CPython writes it ("<object repr() failed>",
    "<exception str() failed>"); any other failed write ends the report, and one that raised
    is reported as CPython reports its own hook failing. Nothing it does escapes.
    """
    global _walk_tb
    _walk_tb = traceback.walk_tb  # hide_own_frames()'s, taken now: the program can rebind the module's
    hook_args = _unraisable_args_type()

    def unraisablehook(unraisable, /):
        if type(unraisable) is not hook_args:
            raise TypeError("sys.unraisablehook argument type must be UnraisableHookArgs")
        if unraisable.exc_type is RefusedCallback:
            return  # a callback refused at the program's teardown (quietgc.py): python3 calls none
        limit = _getlimit()
        # Headroom for the hook's own frames (a __del__ run at the program's limit), as
        # headroom.py takes it: only where the program's limit can be put back in this frame.
        try:
            _setlimit(limit)
            roomy = True
        except RecursionError:
            roomy = False
        _program_limit[0] = limit
        _roomy[0] = roomy
        if roomy:
            _own_limit()
        try:
            _report(unraisable.err_msg, unraisable.object, unraisable.exc_type,
                    unraisable.exc_value, unraisable.exc_traceback)
        except BaseException:
            pass
        finally:
            if roomy:
                try:
                    _setlimit(_program_limit[0])
                except BaseException:
                    pass

    unraisablehook.__module__ = "sys"
    unraisablehook.__qualname__ = "unraisablehook"
    # Both: `sys.unraisablehook = sys.__unraisablehook__` puts this one back, as python3's does.
    sys.unraisablehook = sys.__unraisablehook__ = unraisablehook


_program_limit = [1000]  # the program's recursion limit while the hook runs
_roomy = [False]  # whether the hook runs with headroom (and so lowers it for the program's code)


def _own_limit():
    try:
        _setlimit(min(_program_limit[0] + _HOOK_HEADROOM, MOST))
    except BaseException:
        pass


def _program_code(call, value):
    """``call(value)`` (a str() or repr() that may be the program's) under the program's own
    recursion limit, not the hook's: it may read the limit, or set one that must stay set. A
    plain str is its own str() and calls nothing. Where the hook is already deeper than the
    program's limit (its frames are a few more than C's hook has none of), the call is made
    under the hook's: a report is never dropped for it."""
    if call is str and type(value) is str:
        return value
    if not _roomy[0]:
        return call(value)
    try:
        _setlimit(_program_limit[0])
    except BaseException:
        return call(value)
    try:
        return call(value)
    finally:
        _program_limit[0] = _getlimit()
        _own_limit()


def _unraisable_args_type():
    """The type of what CPython hands the hook (sys.UnraisableHookArgs, not exposed by name)."""
    seen = []
    previous = sys.unraisablehook

    class _Raises:
        def __del__(self):
            raise RuntimeError

    sys.unraisablehook = seen.append
    try:
        _Raises()
    finally:
        sys.unraisablehook = previous
    return type(seen[0])


class _WriteFailed(Exception):
    """A write to stderr failed: the report ends, and the failure is CPython's hook's own."""


def _report(err_msg, obj, exc_type, exc_value, tb):
    file = sys.stderr
    if file is None:
        return
    try:
        _write_report(file, err_msg, obj, exc_type, exc_value, tb)
    except _WriteFailed as failed:
        # As when CPython's own hook fails to write: its failure is reported in its place, once.
        cause = failed.__cause__
        failed = None
        try:
            _write_report(file, "Exception ignored in sys.unraisablehook",
                          _BuiltinHookName(), type(cause), cause, cause.__traceback__)
        except _WriteFailed:
            pass


class _BuiltinHookName:
    def __repr__(self):
        return "<built-in function unraisablehook>"


def _write(file, text):
    try:
        file.write(text)
    except BaseException as exc:
        raise _WriteFailed from exc


def _write_object(file, value, raw, failed=None):
    """PyFile_WriteObject: str() or repr() of ``value`` handed to ``file.write`` as it is (a
    str subclass too). If that fails, ``failed`` is written in its place, or, with none, the
    report ends."""
    try:
        file.write(_program_code(str if raw else repr, value))
    except BaseException as exc:
        if failed is None:
            raise _WriteFailed from exc
        _write(file, failed)


def _write_report(file, err_msg, obj, exc_type, exc_value, tb):
    if obj is not None:
        if err_msg is not None:
            _write_object(file, err_msg, True)
            _write(file, ": ")
        else:
            _write(file, "Exception ignored in: ")
        _write_object(file, obj, False, "<object repr() failed>")
        _write(file, "\n")
    elif err_msg is not None:
        _write_object(file, err_msg, True)
        _write(file, ":\n")
    if tb is not None:
        try:
            frames = _frames_text(tb)
        except BaseException:
            frames = []
        try:
            for piece in frames:
                file.write(piece)
        except BaseException:
            pass  # C goes on to the exception's line when the traceback failed
    if exc_type is None:
        return
    try:  # as C reads it: a metaclass's property runs
        module = _program_code(lambda cls: getattr(cls, "__module__"), exc_type)
    except BaseException:
        module = None
    if not issubclass(type(module), str):
        _write(file, "<unknown>")
    elif str.__str__(module) not in ("builtins", "__main__"):
        _write_object(file, module, True)
        _write(file, ".")
    try:
        qualname = _TYPE_QUALNAME.__get__(exc_type, type)
    except BaseException:
        qualname = "<unknown>"
    _write(file, qualname)
    if exc_value is not None:
        _write(file, ": ")
        _write_object(file, exc_value, True, "<exception str() failed>")
    _write(file, "\n")
    try:
        file.flush()
    except BaseException as exc:
        raise _WriteFailed from exc


def _traceback_limit():
    """sys.tracebacklimit as _PyTraceBack_Print reads it: any int (a bool, a subclass), by its
    value; past a C long, the most; absent or not an int, 1,000."""
    limit = sys.__dict__.get("tracebacklimit", _TRACEBACK_LIMIT)
    if not issubclass(type(limit), int):
        return _TRACEBACK_LIMIT
    return min(int.__int__(limit), _WASM_LONG_MAX)


def _frames_text(tb):
    limit = _traceback_limit()
    if limit <= 0:
        return []
    frames = []
    for frame, lineno in _walk_tb(tb):  # without this package's (hide_own_frames)
        code = frame.f_code
        frames.append((code.co_filename, lineno, code.co_name))
    frames = frames[-limit:]
    if not frames:
        return []
    lines = ["Traceback (most recent call last):\n"]
    last, count = None, 0

    def repeated():
        more = count - _RECURSIVE_CUTOFF
        return f"  [Previous line repeated {more} more time{'s' if more > 1 else ''}]\n"

    for where in frames:
        if where != last:
            if count > _RECURSIVE_CUTOFF:
                lines.append(repeated())
            last, count = where, 0
        count += 1
        if count <= _RECURSIVE_CUTOFF:
            filename, lineno, name = where
            lines.append(f'  File "{filename}", line {lineno}, in {name}\n')
            source = _source_line(filename, lineno)
            if source is not None:  # three writes, as _Py_DisplaySourceLine makes them
                lines += ["    ", source, "\n"]
    if count > _RECURSIVE_CUTOFF:
        lines.append(repeated())
    return lines


def _source_line(filename, lineno):
    """Line ``lineno`` as _Py_DisplaySourceLine shows it (its indentation of spaces, tabs and
    form feeds left out, its line ending too, nothing else), from the learner's program or the
    standard library only; None for any other file, or past the file's end."""
    lines = PROGRAM_LINES.get(filename)
    if lines is None and type(filename) is str and filename.startswith(_STDLIB_PREFIXES):
        lines = _stdlib_lines.get(filename)
        if lines is None:
            lines = _read_stdlib(filename)
            _stdlib_lines[filename] = lines
    if not lines or lineno is None or not 1 <= lineno <= len(lines):
        return None
    return lines[lineno - 1].rstrip("\r\n").lstrip(" \t\f")


_STDLIB_PREFIXES = tuple(path + "/" for path in sys.path if path.endswith(".zip"))


def _read_stdlib(filename):
    """A standard library file's lines, read from its zip by CPython's own zipimporter: not
    through any module's __loader__, which the program may replace."""
    import zipimport

    for prefix in _STDLIB_PREFIXES:
        if filename.startswith(prefix):
            try:
                data = zipimport.zipimporter(prefix[:-1]).get_data(filename[len(prefix):])
                return data.decode("utf-8").splitlines(keepends=True)
            except BaseException:
                return []
    return []
