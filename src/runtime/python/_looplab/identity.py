"""A key for an object's identity that raises no audit event."""

# The object's address, rotated by 4 bits (Objects/object.c, _Py_HashPointer): distinct for
# distinct live objects, as id() is, whatever the object's own __hash__ (the slot of `object`
# is called directly, so a class's __hash__, or __hash__ = None, changes nothing). id() raises
# the audit event builtins.id (CPython 3.13+), and with the code guard's audit hook in place
# (codeguard.py) each event costs ~1 µs here: the tracer keys its tables by this instead.
address_key = object.__hash__
