"""A key for an object's identity that raises no audit event, and an object's own attributes."""
import types as _types

# The object's address, rotated by 4 bits (Objects/object.c, _Py_HashPointer): distinct for
# distinct live objects, as id() is, whatever the object's own __hash__ (the slot of `object`
# is called directly, so a class's __hash__, or __hash__ = None, changes nothing). id() raises
# the audit event builtins.id (CPython 3.13+), and with the code guard's audit hook in place
# (codeguard.py) each event costs ~1 µs here: the tracer keys its tables by this instead.
address_key = object.__hash__


_TYPE_MRO = type.__dict__["__mro__"]
_JOIN = "".join
_TYPE_DICT = type.__dict__["__dict__"]
# The kinds of descriptor CPython makes for an instance's storage: a getset_descriptor for a
# class's instances' __dict__, a member_descriptor for a module's __dict__
# (Objects/moduleobject.c, module_members) and for each name in a class's __slots__.
_GETSET = _types.GetSetDescriptorType
_MEMBER = _types.MemberDescriptorType


def own_dict_get(cls, name, missing=None):
    """What ``name`` (a str) is in class ``cls``'s own dict, else ``missing``: found by comparing
    only keys that are exactly str. A dict lookup (``mappingproxy.get``) compares ``name`` with
    any key of the same hash by that key's ``__eq__``: a class body can hold a key of a str
    subclass of the program's whose hash collides, and its ``__eq__`` then ran (and raised, and
    left a trace the host refused as damaged) in a loop's moment where python3 runs no code of
    the program's (a reviewer's). A key of a str subclass is compared by its characters, copied
    without calling its methods (``str.join``): it holds ``name`` when they are ``name``'s, as a
    subclass that keeps str's comparison does in CPython's lookup."""
    for key, value in _TYPE_DICT.__get__(cls, type).items():
        kind = type(key)
        if kind is str:
            if key == name:
                return value
        elif issubclass(kind, str) and _JOIN((key,)) == name:
            return value
    return missing


def _storage(cls, name):
    """The descriptor CPython made for ``name`` in ``cls``'s own dict: a getset or member
    descriptor that names ``name`` and belongs to ``cls`` (its ``__objclass__``), else None. A
    class body can put another type's descriptor under any name (``__dict__ =
    io.StringIO.__dict__['closed']``): its getter would be chosen by the program, and may run the
    program's code or raise into it (a reviewer's)."""
    found = own_dict_get(cls, name)
    kind = type(found)
    if (kind is _GETSET or kind is _MEMBER) and found.__objclass__ is cls and found.__name__ == name:
        return found
    return None


def _read(descriptor, obj):
    """What ``descriptor`` (one of CPython's own, from ``_storage``) holds for ``obj``, or None."""
    try:
        return descriptor.__get__(obj, type(obj))
    except Exception:  # an unset slot (AttributeError); nothing of the program's runs here
        return None


def own_attribute(obj, name):
    """``obj``'s attribute ``name`` as its own storage holds it (a slot of that name, else its
    ``__dict__``), or None: read past any property or ``__getattribute__`` on its class, which a
    program can set even on the standard library's classes (``asyncio.StreamReader._transport =
    property(...)``), and which the tracer must not run (an attacker's); and past a ``__dict__``
    property. Only descriptors CPython made for the class that holds them are used (``_storage``):
    the ``__dict__`` of the first class up the MRO that gave its instances one (a module's
    included), and a ``__slots__`` entry (a pure-Python task may keep ``_state`` in one)."""
    namespace = None
    for cls in _TYPE_MRO.__get__(type(obj), type):
        slot = _storage(cls, name)
        if slot is not None and type(slot) is _MEMBER:
            return _read(slot, obj)
        if namespace is None:
            holder = _storage(cls, "__dict__")
            if holder is not None:
                namespace = _read(holder, obj)
                if not issubclass(type(namespace), dict):
                    return None
    return dict.get(namespace, name) if namespace is not None else None


def own_dict(obj):
    """``obj``'s instance dict as CPython keeps it (what ``self.x = v`` writes into when no
    descriptor takes ``x``: ``_PyObject_GetDictPtr``, Objects/object.c), found as
    ``own_attribute`` finds it, past a ``__dict__`` property or ``__getattribute__`` of the
    program's; None if it has none."""
    for cls in _TYPE_MRO.__get__(type(obj), type):
        holder = _storage(cls, "__dict__")
        if holder is not None:
            namespace = _read(holder, obj)
            return namespace if issubclass(type(namespace), dict) else None
    return None


def class_lookup(cls, name, missing=None):
    """What looking ``name`` up on class ``cls`` finds (the first of its MRO's own dicts that holds
    it: ``_PyType_Lookup``, Objects/typeobject.c), read by type's own getters, past a metaclass's
    ``__getattribute__``; ``missing`` if none holds it. Nothing found is called or bound."""
    for klass in _TYPE_MRO.__get__(cls, type):
        found = own_dict_get(klass, name, missing)
        if found is not missing:
            return found
    return missing
