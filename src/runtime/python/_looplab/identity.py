"""A key for an object's identity that raises no audit event."""

# The object's address, rotated by 4 bits (Objects/object.c, _Py_HashPointer): distinct for
# distinct live objects, as id() is, whatever the object's own __hash__ (the slot of `object`
# is called directly, so a class's __hash__, or __hash__ = None, changes nothing). id() raises
# the audit event builtins.id (CPython 3.13+), and with the code guard's audit hook in place
# (codeguard.py) each event costs ~1 µs here: the tracer keys its tables by this instead.
address_key = object.__hash__


_get = object.__getattribute__


def own_attribute(obj, name):
    """``obj``'s attribute ``name`` as its own ``__dict__`` holds it, or None: read past any
    property or ``__getattribute__`` on its class, which a program can set even on the standard
    library's classes (``asyncio.StreamReader._transport = property(...)``), and which the
    tracer must not run (an attacker's). ``__dict__`` itself is the type's own descriptor: a
    class's ``__dict__`` cannot be replaced."""
    try:
        namespace = _get(obj, "__dict__")
    except AttributeError:
        return None
    return dict.get(namespace, name) if issubclass(type(namespace), dict) else None
