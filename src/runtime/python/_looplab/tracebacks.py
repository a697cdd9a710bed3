"""Tracebacks and warnings as CPython shows them: without this package's frames, and with the
standard library's source lines."""

import linecache
import os
import sys
import traceback

PACKAGE_DIR = os.path.dirname(__file__) + os.sep if "__file__" in globals() else "<looplab>"


def own_code(code):
    """True for code of this package (never shown to the learner)."""
    return code.co_filename.startswith(PACKAGE_DIR)


def _own_frame(frame):
    return frame.f_code.co_filename.startswith(PACKAGE_DIR)


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
_TYPE_QUALNAME = type.__dict__["__qualname__"]
_TYPE_MODULE = type.__dict__["__module__"]


def print_unraisable_as_cpython():
    """``sys.unraisablehook``: an exception nobody can catch (raised in a ``__del__``, a weakref
    callback, a generator's close) printed as CPython 3.14's default hook prints it
    (``write_unraisable_exc_file`` in Python/errors.c), with two differences that make it what
    python3 shows for the same program run from a file: the frames are read past this
    package's (the default hook showed streams.py under a ``__del__`` that printed a lone
    surrogate), and each frame's source line comes from linecache (the default hook reads
    only files on disk: never the learner's program, nor the standard library, which is in a
    zip here). What it writes, in order: the header (``err_msg`` and the object's repr),
    ``Traceback (most recent call last):`` and the frames (at most ``sys.tracebacklimit``,
    the last ones; a frame repeated more than 3 times in a row cut with ``[Previous line
    repeated N more times]``), then ``Type: str(value)`` only: no notes, no chained exception.
    A repr or str that raises is written as CPython writes it; nothing it does escapes.
    """

    def hook(unraisable):
        stderr = sys.stderr
        if stderr is None:
            return
        try:
            stderr.write(_unraisable_text(unraisable))
            stderr.flush()
        except BaseException:  # a stream of the program's that raises: CPython gives up too
            pass

    sys.unraisablehook = hook


def _unraisable_text(unraisable):
    parts = []
    err_msg, obj = unraisable.err_msg, unraisable.object
    if obj is not None:
        parts.append("Exception ignored in: " if err_msg is None else f"{_str_or(err_msg, '')}: ")
        parts.append(_repr_or(obj, "<object repr() failed>") + "\n")
    elif err_msg is not None:
        parts.append(f"{_str_or(err_msg, '')}:\n")
    exc_type, exc_value, tb = unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback
    if tb is not None:
        parts.extend(_frames_text(tb))
    if exc_type is None:
        return "".join(parts)
    try:
        module = _TYPE_MODULE.__get__(exc_type, type)
    except BaseException:
        module = None
    if not type(module) is str:
        parts.append("<unknown>")
    elif module not in ("builtins", "__main__"):
        parts.append(module + ".")
    parts.append(_TYPE_QUALNAME.__get__(exc_type, type))
    if exc_value is not None:
        parts.append(": " + _str_or(exc_value, "<exception str() failed>"))
    parts.append("\n")
    return "".join(parts)


def _frames_text(tb):
    limit = getattr(sys, "tracebacklimit", 1000)
    if not type(limit) is int:
        limit = 1000
    if limit <= 0:
        return []
    # The last `limit` frames (a negative limit), without this package's (hide_own_frames).
    frames = traceback.extract_tb(tb, limit=-limit)
    if not frames:
        return []
    lines = ["Traceback (most recent call last):\n"]
    last, count = None, 0

    def repeated():
        more = count - _RECURSIVE_CUTOFF
        return f"  [Previous line repeated {more} more time{'s' if more > 1 else ''}]\n"

    for frame in frames:
        where = (frame.filename, frame.lineno, frame.name)
        if where != last:
            if count > _RECURSIVE_CUTOFF:
                lines.append(repeated())
            last, count = where, 0
        count += 1
        if count <= _RECURSIVE_CUTOFF:
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n')
            if frame.line:
                lines.append(f"    {frame.line}\n")
    if count > _RECURSIVE_CUTOFF:
        lines.append(repeated())
    return lines


def _str_or(value, failed):
    try:
        return str(value)
    except BaseException:
        return failed


def _repr_or(value, failed):
    try:
        return repr(value)
    except BaseException:
        return failed
