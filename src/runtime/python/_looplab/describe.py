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
_TYPE_DICT = type.__dict__["__dict__"]
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
    property of the program's (which may raise: it crashed the worker)."""
    return _TYPE_NAME.__get__(type(obj), type)


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
    for klass in _TYPE_MRO.__get__(cls, type):
        found = _TYPE_DICT.__get__(klass, type).get("__str__", _MISSING)
        if found is not _MISSING:
            return found
    return None


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
    try:
        message = _message(exc, type(exc))
    except BaseException:
        return name
    return f"{name}: {message}" if message else name
