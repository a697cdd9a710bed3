"""What a callback in the loop's queues is, and what a task and its coroutine are called, read
by the exact types CPython makes them of, without running the program's code.

The loop's moments (a push onto the ready queue, a timer, a task's first step) run none of the
program's code in python3. ``getattr(callback, "__self__")`` on the program's callable object
runs its ``__getattr__`` (a program that counted the lookups saw five in Loop Lab and none in
python3), and its ``__qualname__`` may be anything at all (an int made the host refuse the
trace as damaged). So every fact here comes from a type's own descriptor, taken as this module
loads, before any program: a function's ``__qualname__`` and ``__code__``, a bound method's
``__func__`` and ``__self__``, a C task step's ``__self__``; anything else is named by its
class (``describe.type_name``'s way) and has no code, no owner. A task's name, coroutine and
loop are read by the C Task's own methods, or from a pure-Python task's own dict, past a Task
subclass's of the program's (a task factory may make them). Every name is given back as a plain ``str``: a ``__qualname__`` may be
a subclass of str whose methods are the program's.
"""
import asyncio.futures as _futures
import asyncio.tasks as _tasks
import functools
import types

from .identity import address_key, class_lookup, own_attribute

_FUNCTION = types.FunctionType
_METHOD = types.MethodType
_BUILTIN = types.BuiltinFunctionType  # builtin functions and builtin methods alike
_COROUTINE = types.CoroutineType
_GENERATOR = types.GeneratorType
_GENERATOR_WRAPPER = types._GeneratorWrapper
_PARTIAL = functools.partial
_C_TASK = _tasks._CTask if hasattr(_tasks, "_CTask") else _tasks.Task

_FUNCTION_QUALNAME = _FUNCTION.__dict__["__qualname__"]
_FUNCTION_NAME = _FUNCTION.__dict__["__name__"]
_FUNCTION_CODE = _FUNCTION.__dict__["__code__"]
_METHOD_FUNC = _METHOD.__dict__["__func__"]
_METHOD_SELF = _METHOD.__dict__["__self__"]
_BUILTIN_NAME = _BUILTIN.__dict__["__name__"]
_BUILTIN_SELF = _BUILTIN.__dict__["__self__"]
_COROUTINE_QUALNAME = _COROUTINE.__dict__["__qualname__"]
_GENERATOR_QUALNAME = _GENERATOR.__dict__["__qualname__"]
_PARTIAL_FUNC = _PARTIAL.__dict__["func"]
_TYPE_QUALNAME = type.__dict__["__qualname__"]
_TYPE_MRO = type.__dict__["__mro__"]
_TYPE_DICT = type.__dict__["__dict__"]
_MODULE = types.ModuleType
_JOIN = "".join
# CPython's descriptors of C methods (Objects/descrobject.c): each kind's own __name__ and
# __objclass__ (the class that defines the method), for a label without asking that class.
# Keyed by identity (identity.address_key): a program's metaclass's __hash__ and __eq__ ran when
# its class's objects were looked up here by the class itself (a reviewer's).
_DESCRIPTOR_NAMES = {address_key(kind): (kind.__dict__["__name__"], kind.__dict__["__objclass__"])
                     for kind in (types.MethodDescriptorType, types.WrapperDescriptorType,
                                  types.ClassMethodDescriptorType, types.MethodWrapperType)}




def plain_text(text, otherwise="?"):
    """``text`` (a str, or a subclass of str: a ``__qualname__`` or a class's ``__name__`` may be
    one, whose methods are the program's) as a plain str, copied without calling a method of the
    subclass's (``str.join`` reads the characters themselves); ``otherwise`` if it is no str at
    all (a pure-Python task's ``_name`` may be set to anything)."""
    return _JOIN((text,)) if issubclass(type(text), str) else otherwise


def _step_wrapper_type():
    """The C tasks' step callback (``TaskStepMethWrapper``, Modules/_asynciomodule.c): a type
    ``_asyncio`` does not export, found by its name among object's subclasses as this module
    loads, while every class there is CPython's own."""
    for cls in object.__subclasses__():
        if _TYPE_QUALNAME.__get__(cls, type) == "TaskStepMethWrapper":
            return cls
    return None


STEP_WRAPPER = _step_wrapper_type()
_STEP_WRAPPER_SELF = STEP_WRAPPER.__dict__["__self__"] if STEP_WRAPPER is not None else None

# A partial of a partial of … is unwrapped at most this deep (an object claiming to be a partial
# whose func was itself kept a loop going for ever: a reviewer's).
_PARTIAL_DEPTH = 100


def unwrap_partial(func):
    """``func``'s innermost function if it is a ``functools.partial`` (by its exact type), else ``func``."""
    for _ in range(_PARTIAL_DEPTH):
        if type(func) is not _PARTIAL:
            break
        func = _PARTIAL_FUNC.__get__(func, _PARTIAL)
    return func


def method_function(func):
    """The function a bound method (exact type) wraps, else ``func`` itself."""
    return _METHOD_FUNC.__get__(func, _METHOD) if type(func) is _METHOD else func


def bound_self(callback):
    """The object ``callback`` is bound to: a bound method's, a builtin method's or a C task
    step's ``__self__``; None for anything else (the program's callable objects included)."""
    kind = type(callback)
    if kind is _METHOD:
        return _METHOD_SELF.__get__(callback, _METHOD)
    if kind is _BUILTIN:
        return _BUILTIN_SELF.__get__(callback, _BUILTIN)
    if kind is STEP_WRAPPER and kind is not None:
        return _STEP_WRAPPER_SELF.__get__(callback, kind)
    return None


def function_name(func):
    """A function's or builtin's ``__name__``, bound or not (exact types), else None."""
    func = method_function(func)
    kind = type(func)
    if kind is _FUNCTION:
        return plain_text(_FUNCTION_NAME.__get__(func, _FUNCTION))
    if kind is _BUILTIN:
        return plain_text(_BUILTIN_NAME.__get__(func, _BUILTIN))
    return None


def callable_label(func):
    """What the board calls a callback: its function's ``__qualname__`` (``Task.cancel`` for a
    builtin method), else its class's."""
    func = method_function(unwrap_partial(func))
    kind = type(func)
    if kind is _FUNCTION:
        return plain_text(_FUNCTION_QUALNAME.__get__(func, _FUNCTION))
    if kind is _BUILTIN:
        return _builtin_qualname(func)
    names = _DESCRIPTOR_NAMES.get(address_key(kind))
    if names is not None:  # str.upper, object.__init__, (1).__add__, dict.fromkeys
        name_of, owner_of = names
        owner = owner_of.__get__(func, kind)
        return f"{plain_text(_TYPE_QUALNAME.__get__(owner, type))}.{plain_text(name_of.__get__(func, kind))}"
    if is_class(func):  # a class called as a callback: named for itself, not for its metaclass
        return plain_text(_TYPE_QUALNAME.__get__(func, type))
    return plain_text(_TYPE_QUALNAME.__get__(kind, type))


def is_class(obj):
    """True when ``obj`` is a class (its type's MRO holds ``type``), asked of no metaclass's
    ``__instancecheck__``."""
    return any(base is type for base in _TYPE_MRO.__get__(type(obj), type))


def _builtin_qualname(func):
    """A builtin's ``__qualname__`` as CPython makes it (``meth_get__qualname__``,
    Objects/methodobject.c): its name alone for a function (bound to nothing or to a module),
    else the qualified name of the class it is bound to (or of its object's class), a dot and
    its name. CPython reads the class's ``__qualname__`` as an attribute, which a metaclass of
    the program's can answer; here it is the type's own."""
    name = plain_text(_BUILTIN_NAME.__get__(func, _BUILTIN))
    owner = _BUILTIN_SELF.__get__(func, _BUILTIN)
    if owner is None or issubclass(type(owner), _MODULE):
        return name
    cls = owner if is_class(owner) else type(owner)
    return f"{plain_text(_TYPE_QUALNAME.__get__(cls, type))}.{name}"


def callable_code(func):
    """The code object a callback runs first: a function's (bound or in a partial); for an
    object of a class with ``__call__``, that method's; for a class called as a callback, its
    metaclass's ``__call__`` or else its ``__init__``. None for anything else, and where what
    runs is not a plain function (a builtin, a staticmethod …). Read from the classes' own
    dicts along their MRO (the lookup CPython's ``tp_call`` slot makes, Objects/typeobject.c),
    asking no metaclass and no ``__getattr__`` of the program's."""
    func = method_function(unwrap_partial(func))
    kind = type(func)
    if kind is _FUNCTION:
        return _FUNCTION_CODE.__get__(func, _FUNCTION)
    if kind is _BUILTIN or address_key(kind) in _DESCRIPTOR_NAMES:
        return None
    called = class_lookup(kind, "__call__")
    if type(called) is not _FUNCTION and is_class(func):
        called = class_lookup(func, "__init__")
    # A plain function only: not type's own __call__, a builtin's, a staticmethod …
    return _FUNCTION_CODE.__get__(called, _FUNCTION) if type(called) is _FUNCTION else None


def wrapped_generator(wrapper):
    """The generator inside a ``types._GeneratorWrapper`` (``self.__wrapped``, Lib/types.py), read
    from the instance's own dict, or None if it holds no generator."""
    generator = own_attribute(wrapper, "_GeneratorWrapper__wrapped")
    return generator if type(generator) is _GENERATOR else None


def coroutine_name(coro):
    """A task's coroutine's ``__qualname__`` (a coroutine's or a generator's), else its class's:
    a task may be given any object its loop takes for a coroutine (a subclass of
    ``collections.abc.Coroutine`` of the program's)."""
    kind = type(coro)
    if kind is _GENERATOR_WRAPPER:
        # A @types.coroutine generator as the code guard awaits it: named for the generator.
        generator = wrapped_generator(coro)
        if generator is not None:
            coro, kind = generator, _GENERATOR
    if kind is _COROUTINE:
        return plain_text(_COROUTINE_QUALNAME.__get__(coro, _COROUTINE))
    if kind is _GENERATOR:
        return plain_text(_GENERATOR_QUALNAME.__get__(coro, _GENERATOR))
    return plain_text(_TYPE_QUALNAME.__get__(kind, type))


_C_DONE = _C_TASK.done
_C_CANCELLED = _C_TASK.cancelled
_C_GET_CORO = _C_TASK.get_coro


def task_done(task):
    """``task.done()`` as asyncio's Task answers it. Raises RuntimeError for a C Task whose
    ``__init__`` failed ("Future object is not initialized"), as ``done()`` does."""
    return _C_DONE(task) if issubclass(type(task), _C_TASK) else python_future_state(task) != "pending"


def task_cancelled(task):
    """``task.cancelled()`` as asyncio's Task answers it."""
    return _C_CANCELLED(task) if issubclass(type(task), _C_TASK) else python_future_state(task) == "cancelled"


def task_name(task):
    """``task.get_name()`` as asyncio's Task answers it (a plain str)."""
    if issubclass(type(task), _C_TASK):
        return plain_text(_C_TASK.get_name(task), "Task")
    return plain_text(own_attribute(task, "_name"), "Task")


def task_coroutine(task):
    """``task.get_coro()`` as asyncio's Task answers it."""
    return _C_GET_CORO(task) if issubclass(type(task), _C_TASK) else own_attribute(task, "_coro")


def task_loop(task):
    """``task.get_loop()`` as asyncio's Task answers it."""
    return _C_TASK.get_loop(task) if issubclass(type(task), _C_TASK) else own_attribute(task, "_loop")


def _field_descriptor(cls, name):
    """asyncio's C Future's or Task's own descriptor for field ``name`` (``_must_cancel``,
    ``_exception`` …: getters of Modules/_asynciomodule.c), taken from its class dicts."""
    for base in _TYPE_MRO.__get__(cls, type):
        found = _TYPE_DICT.__get__(base, type).get(name)
        if found is not None:
            return found
    raise LookupError(name)


_C_FUTURE = _futures._CFuture if hasattr(_futures, "_CFuture") else _futures.Future
_FIELDS = ("_must_cancel", "_exception", "_result", "_fut_waiter", "_state")
_C_TASK_FIELDS = {name: _field_descriptor(_C_TASK, name) for name in _FIELDS}
_C_FUTURE_FIELDS = {name: _field_descriptor(_C_FUTURE, name) for name in ("_exception", "_result", "_state")}


def future_field(future, name):
    """A Future's or Task's field ``name`` (one of ``_FIELDS``) as asyncio keeps it: through the C
    class's own getter for its objects and its subclasses', else from the instance's own dict
    (the pure-Python ones'); never through a property or ``__getattribute__`` of the program's."""
    kind = type(future)
    if issubclass(kind, _C_TASK):
        return _C_TASK_FIELDS[name].__get__(future, kind)
    if issubclass(kind, _C_FUTURE) and name in _C_FUTURE_FIELDS:
        return _C_FUTURE_FIELDS[name].__get__(future, kind)
    return own_attribute(future, name)


# asyncio's Futures: the C one (Modules/_asynciomodule.c), whose methods read its own fields,
# and the pure-Python one (Lib/asyncio/futures.py), read from the instance's own dict.
_PY_FUTURE = _futures._PyFuture
_C_FUTURE_DONE = _C_FUTURE.done if _C_FUTURE is not _PY_FUTURE else None
_C_FUTURE_CANCELLED = _C_FUTURE.cancelled if _C_FUTURE is not _PY_FUTURE else None


def future_state(value, mro=None):
    """``"cancelled"``, ``"done"`` or ``"pending"`` for an asyncio Future (or a subclass's, a
    Task's included), asked of asyncio's own ``cancelled`` and ``done``, past a subclass's of the
    program's; None if ``value`` is no Future. ``mro``: its class's, if already read."""
    if mro is None:
        mro = _TYPE_MRO.__get__(type(value), type)
    if _C_FUTURE_DONE is not None and any(cls is _C_FUTURE for cls in mro):
        return "cancelled" if _C_FUTURE_CANCELLED(value) else "done" if _C_FUTURE_DONE(value) else "pending"
    if any(cls is _PY_FUTURE for cls in mro):
        return python_future_state(value)
    return None


def python_future_state(future):
    """A pure-Python Future's (or Task's) state, from its own ``_state`` (Lib/asyncio/futures.py:
    ``"PENDING"``, ``"CANCELLED"``, ``"FINISHED"``): its ``done()`` and ``cancelled()`` read it
    through the instance, which a subclass's property or ``__getattribute__`` answers."""
    state = own_attribute(future, "_state")
    if type(state) is str and state == "CANCELLED":
        return "cancelled"
    return "done" if type(state) is str and state == "FINISHED" else "pending"
