"""A key for an object's identity that raises no audit event, and an object's own attributes."""
import types as _types

# The object's address, rotated by 4 bits (Objects/object.c, _Py_HashPointer): distinct for
# distinct live objects, as id() is, whatever the object's own __hash__ (the slot of `object`
# is called directly, so a class's __hash__, or __hash__ = None, changes nothing). id() raises
# the audit event builtins.id (CPython 3.13+), and with the code guard's audit hook in place
# (codeguard.py) each event costs ~1 µs here: the tracer keys its tables by this instead.
address_key = object.__hash__


_TYPE_MRO = type.__dict__["__mro__"]
_TYPE_DICT = type.__dict__["__dict__"]
# The kinds of descriptor CPython gives an instance's __dict__ with: a getset_descriptor for a
# class's instances, a member_descriptor for a module's (Objects/moduleobject.c, module_members).
_GETSET = _types.GetSetDescriptorType
_MEMBER = _types.MemberDescriptorType


def _instance_dict(obj):
    """``obj``'s own ``__dict__``, or None if it has none: through the descriptor CPython made for
    the class that gave its instances a dict (the first getset_descriptor, or a module's
    member_descriptor, named ``__dict__`` up its class's MRO), past a ``__dict__`` property of
    the program's above it (a reviewer's)."""
    for cls in _TYPE_MRO.__get__(type(obj), type):
        found = _TYPE_DICT.__get__(cls, type).get("__dict__")
        if type(found) is _GETSET or type(found) is _MEMBER:
            try:
                return found.__get__(obj, type(obj))
            except (AttributeError, TypeError):
                return None
    return None


def own_attribute(obj, name):
    """``obj``'s attribute ``name`` as its own ``__dict__`` holds it, or None: read past any
    property or ``__getattribute__`` on its class, which a program can set even on the standard
    library's classes (``asyncio.StreamReader._transport = property(...)``), and which the
    tracer must not run (an attacker's); and past a ``__dict__`` property (``_instance_dict``)."""
    namespace = _instance_dict(obj)
    return dict.get(namespace, name) if issubclass(type(namespace), dict) else None
