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
_WRAPPER = type(BaseException.__str__)  # a slot of a class written in C: slot wrapper
# Arguments whose str() is CPython's own, whatever their value.
_PLAIN = (str, int, float, complex, bool, type(None), bytes)


def type_name(obj):
    """The name of ``obj``'s class as CPython keeps it, read past a metaclass's ``__name__``
    property of the program's (which may raise: it crashed the worker)."""
    return _TYPE_NAME.__get__(type(obj), type)


def _own_str(cls):
    """The ``__str__`` the class's MRO gives, looked up in the classes' own dicts."""
    for klass in _TYPE_MRO.__get__(cls, type):
        found = _TYPE_DICT.__get__(klass, type).get("__str__")
        if found is not None:
            return found
    return None


def exception_text(exc):
    """``"ValueError: bad"`` for a task's Done card, or the type's name alone when its message is
    empty or could only come from running the program's code: a ``__str__`` of its own, or an
    argument of a class of its own (``BaseException.__str__`` calls ``str()`` on it). Never
    raises."""
    name = type_name(exc)
    str_of_class = _own_str(type(exc))
    if type(str_of_class) is not _WRAPPER:
        return name
    try:
        if isinstance(exc, BaseExceptionGroup):
            # Its str() is its message and how many it holds ("boom (2 sub-exceptions)"), never
            # the str() of those: only the message must be a plain str.
            if type(_GROUP_MESSAGE.__get__(exc, type(exc))) is not str:
                return name
        else:
            args = _ARGS.__get__(exc, type(exc))
            if type(args) is not tuple or not all(type(arg) in _PLAIN for arg in args):
                return name
        message = str_of_class(exc)
        return f"{name}: {message}" if type(message) is str and message else name
    except BaseException:  # OSError's and others' read attributes the program may have set
        return name
