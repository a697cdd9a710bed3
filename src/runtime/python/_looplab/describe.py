"""Words for the program's exceptions, read without running the program's own code where
python3 would not run it.

A task that ends with an exception gets a Done card saying what it was. python3 calls nothing
of the exception's to finish a task: its ``__str__`` runs only if the exception is printed. The
tracer must not run it either, or a ``__str__`` that prints prints where python3 is silent, and
one that raises broke the loop (the observer's error escaped into it, and the run ended as a
false deadlock).
"""

_TYPE_NAME = type.__dict__["__name__"]  # type's own getters, taken once: a metaclass may
_TYPE_MRO = type.__dict__["__mro__"]  # replace them with properties of the program's
_ARGS = BaseException.__dict__["args"]
_GROUP_MESSAGE = BaseExceptionGroup.__dict__["message"]
_OS_FIELDS = tuple(OSError.__dict__[field] for field in ("errno", "strerror", "filename", "filename2"))
# Arguments whose str() and repr() are CPython's own, whatever their value (compared by identity:
# `in` would ask a metaclass's __eq__).
_PLAIN = (str, int, float, complex, bool, type(None), bytes)
# The __str__ of CPython's own exceptions that make their text from `args` alone (AttributeError's
# and NameError's as BaseException's, KeyError's with repr(), ImportError's from its message):
# compared by identity, since any other, a C slot included (object.__str__, UnicodeError's),
# may read what the program set or call its __repr__.
_ARGS_STR = (BaseException.__str__, KeyError.__str__, AttributeError.__str__, NameError.__str__,
             ImportError.__str__)
_MISSING = object()


def type_name(obj):
    """The name of ``obj``'s class as CPython keeps it, read past a metaclass's ``__name__``
    property of the program's (which may raise: it crashed the worker), as a plain str."""
    return plain_text(_TYPE_NAME.__get__(type(obj), type))


def type_qualname(cls):
    """A class's ``__qualname__`` as CPython keeps it, as a plain str."""
    return plain_text(_TYPE_QUALNAME.__get__(cls, type))


def _is_one_of(value, candidates):
    """``value in candidates`` by identity: ``in`` would ask a metaclass's ``__eq__``."""
    for candidate in candidates:
        if value is candidate:
            return True
    return False


def _all_plain(values):
    return all(_is_one_of(type(value), _PLAIN) for value in values)


def _class_str(cls):
    """The ``__str__`` the class's MRO gives, looked up in the classes' own dicts (``None`` if
    set to None, as CPython would then fail to call it)."""
    found = class_lookup(cls, "__str__", _MISSING)
    return None if found is _MISSING else found


def _message(exc, cls):
    """The exception's str() if CPython's own code makes it from plain values alone, else None."""
    str_of_class = _class_str(cls)
    if str_of_class is BaseExceptionGroup.__str__:
        # Its message and how many it holds ("boom (2 sub-exceptions)"), never their str().
        made_of = (_GROUP_MESSAGE.__get__(exc, cls),)
    elif str_of_class is OSError.__str__:
        # "[Errno 2] No such file or directory: 'x'": its fields, which the program may set.
        made_of = _ARGS.__get__(exc, cls) + tuple(field.__get__(exc, cls) for field in _OS_FIELDS)
    elif _is_one_of(str_of_class, _ARGS_STR):
        made_of = _ARGS.__get__(exc, cls)
    else:
        return None
    if not _all_plain(made_of):
        return None
    message = str_of_class(exc)
    return message if type(message) is str else None


def exception_message(exc):
    """The exception's str() where CPython's own code makes it from plain values alone, else ''
    (see ``exception_text``): also the run's last event's message when the program's own
    ``sys.excepthook`` reports the exception, and python3 never calls its ``__str__``. Never
    raises, and calls nothing of the program's."""
    try:
        message = _message(exc, type(exc))
    except BaseException:
        return ""
    return message or ""


def exception_text(exc):
    """``"ValueError: bad"`` for a task's Done card, or the type's name alone when its message is
    empty or could only come from running the program's code: a ``__str__`` of its own, or any
    but CPython's own on plain values (``BaseException.__str__`` calls ``str()`` on each
    argument). Never raises, and calls nothing of the program's: even the class dicts are read
    by CPython's own getters (a key of the program's in one could still be compared, and is
    caught)."""
    try:
        name = type_name(exc)
    except BaseException:
        return "exception"
    message = exception_message(exc)
    return f"{name}: {message}" if message else name


# -- values ---------------------------------------------------------------------------------

from .identity import class_lookup  # noqa: E402
from .callables import (callable_label, coroutine_name, function_name, future_state,  # noqa: E402
                        method_function, plain_text)
import builtins as _builtins  # noqa: E402 (after the exception words, which need nothing)
import sys as _sys  # noqa: E402
import types as _types  # noqa: E402

# Taken once: the program can reach these modules and rebind their names.
_TYPE_QUALNAME = type.__dict__["__qualname__"]
_FUNCTION_TYPE, _COROUTINE_TYPE = _types.FunctionType, _types.CoroutineType
_BUILTIN_TYPE, _METHOD_TYPE = _types.BuiltinFunctionType, _types.MethodType
# CPython's own exception classes (builtins): their repr is "Name(args)" (BaseException_repr).
_BUILTIN_EXCEPTIONS = tuple(value for value in vars(_builtins).values()
                            if type(value) is type and issubclass(value, BaseException))
_SCALARS = (float, complex, bool, type(None), range)  # repr is CPython's, of plain fields
_BRACKETS = {list: ("[", "]", "[...]"), tuple: ("(", ")", "(...)"), dict: ("{", "}", "{...}"),
             set: ("{", "}", "set(...)"), frozenset: ("frozenset({", "})", "frozenset(...)")}
_INT_BITS = 4_000  # about 1,200 digits; python3's str() refuses ints past 4,300 (sys.int_info)
_CONTAINERS = tuple(_BRACKETS)
_DEPTH = 8  # containers inside containers shown; deeper ones are "…"


class _Full(Exception):
    """The text has reached its limit."""


class _Text:
    __slots__ = ("parts", "room")

    def __init__(self, limit):
        self.parts = []
        self.room = limit

    def add(self, piece):
        self.parts.append(piece)
        self.room -= len(piece)
        if self.room < 0:
            raise _Full


def value_text(value, limit=200):
    """``value``'s repr as a task's Done card or a wait on a Future shows it: at most ``limit``
    characters (the last one "…" when cut), made without running any of the program's code.
    python3 runs nothing of a task's result to finish the task; a ``__repr__`` of the
    program's run here printed where python3 is silent, and one that looped ran the run into
    its step budget.

    CPython's own reprs are used only where they read plain values: ints (one of more than
    4,000 bits is "<int of N bits>": python3 refuses to write one past 4,300 digits), floats,
    complex, bool, None, range, str, bytes, bytearray, Ellipsis, and the standard library's
    dates, times, Decimal and Fraction (a date or time with no zone or a ``timezone``). Lists, tuples, dicts, sets and
    frozensets (exactly those types) are walked here, item by item, only until the limit is
    reached (so a result of a million items costs what its first few do), with CPython's marks
    for a container inside itself (``[...]``). CPython's own exceptions are written as their
    repr (``ValueError('bad')``), their arguments walked the same way. Anything else is named
    by its type, as CPython's default repr names it but without an address: ``<Loud object>``,
    ``<Future pending>``, ``<function main>``, ``<coroutine object work>``."""
    text = _Text(limit)
    try:
        _write(value, text, 0, [])
    except _Full:
        joined = "".join(text.parts)
        return joined[: limit - 1] + "…"
    except BaseException:  # a state no repr of CPython's expects: the type's name, at least
        return _object(value)
    return "".join(text.parts)


def _write(value, text, depth, inside):
    kind = type(value)
    if kind is int:
        bits = int.bit_length(value)
        text.add(repr(value) if bits <= _INT_BITS else f"<int of {bits:,} bits>")
    elif _is_one_of(kind, _SCALARS):
        text.add(repr(value))
    elif kind is str or kind is bytes or kind is bytearray:
        cut = len(value) > text.room
        text.add(repr(value[: text.room + 1] if cut else value))
    elif _is_one_of(kind, _CONTAINERS):  # by identity first: `in` a dict would hash a metaclass
        _write_container(value, kind, text, depth, inside)
    elif _is_one_of(kind, _BUILTIN_EXCEPTIONS):
        args = _ARGS.__get__(value, kind)
        text.add(plain_text(_TYPE_NAME.__get__(kind, type)))
        if len(args) == 1:
            text.add("(")
            _write(args[0], text, depth + 1, inside)
            text.add(")")
        else:
            _write(args, text, depth + 1, inside)
    elif value is Ellipsis or value is NotImplemented:
        text.add(repr(value))
    elif _is_one_of(kind, _STDLIB_VALUES) and _plain_zone(value, kind):
        text.add(repr(value))
    else:
        text.add(_object(value))


# The standard library's value types whose repr reads only their own plain fields (exactly
# these types): dates and times (``_pydatetime``'s, made when the virtual clock is installed:
# remember_stdlib_values), Decimal, Fraction. Empty until then.
_STDLIB_VALUES = ()
_ZONED = ()
_TIMEZONE = None


def remember_stdlib_values():
    """Take the value types the Done card may show by their repr, once the clock has made
    ``datetime``'s (runner.install, after install_virtual_time)."""
    global _STDLIB_VALUES, _ZONED, _TIMEZONE
    import datetime
    import decimal
    import fractions
    _ZONED = (datetime.datetime, datetime.time)
    _TIMEZONE = datetime.timezone
    _STDLIB_VALUES = (datetime.date, datetime.timedelta, decimal.Decimal, fractions.Fraction) + _ZONED


def _plain_zone(value, kind):
    """A datetime's or time's repr shows its tzinfo's repr: only none, or a ``timezone``."""
    if not _is_one_of(kind, _ZONED):
        return True
    zone = value.tzinfo
    return zone is None or type(zone) is _TIMEZONE


def _write_container(value, kind, text, depth, inside):
    opening, closing, recursive = _BRACKETS[kind]
    if any(value is seen for seen in inside):
        text.add(recursive)
        return
    if not value:
        text.add("set()" if kind is set else "frozenset()" if kind is frozenset else opening + closing)
        return
    if depth >= _DEPTH:
        text.add(opening + "…" + closing)
        return
    inside.append(value)
    text.add(opening)
    items = dict.items(value) if kind is dict else value
    for index, item in enumerate(items):
        if index:
            text.add(", ")
        if kind is dict:
            _write(item[0], text, depth + 1, inside)
            text.add(": ")
            _write(item[1], text, depth + 1, inside)
        else:
            _write(item, text, depth + 1, inside)
    if kind is tuple and len(value) == 1:
        text.add(",")
    text.add(closing)
    inside.pop()


def _object(value):
    """``<Name ...>`` for a value whose repr is not CPython's alone, without an address. Functions
    and methods are named by their exact types' own descriptors (callables.py)."""
    kind = type(value)
    if kind is _FUNCTION_TYPE:
        return f"<function {callable_label(value)}>"
    if kind is _COROUTINE_TYPE:
        return f"<coroutine object {coroutine_name(value)}>"
    if kind is _BUILTIN_TYPE:
        # Its __name__, not its __qualname__, which reads the __qualname__ of the type it is
        # bound to (a metaclass's property of the program's).
        return f"<built-in function {function_name(value)}>"
    if kind is _METHOD_TYPE:
        func = method_function(value)
        inner = (callable_label(func) if type(func) is _FUNCTION_TYPE
                 else function_name(func) if type(func) is _BUILTIN_TYPE else None)
        return f"<bound method {inner if inner is not None else '?'}>"
    mro = _TYPE_MRO.__get__(kind, type)
    if any(base is type for base in mro):
        return f"<class '{type_qualname(value)}'>"
    state = future_state(value, mro)
    if state is not None:
        return f"<{type_name(value)} {'finished' if state == 'done' else state}>"
    return f"<{type_name(value)} object>"
