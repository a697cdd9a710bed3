"""The doors a learner's program must find closed.

Pyodide is not a sandbox: it is built to let Python reach JavaScript. The boundary that holds
is on the JavaScript side (the worker keeps nothing worth stealing, its policy forbids eval
and outside connections, every run gets a fresh worker, the host checks everything the worker
sends). This module narrows what Python can reach before that, so that the easy ways are shut
and an attack must go through the hard ones:

* no JavaScript object handle (JsProxy) stays reachable from modules, builtins or frames, and
  the functions that make new ones (``to_js``, ``create_proxy`` …) are gone; ``JsException``,
  whose constructor makes a JavaScript ``Error`` (and from it the realm's ``Object`` and
  ``Function``), refuses to be made, and its original constructor functions, wherever a
  program finds them (``gc.get_objects()``), now refuse too (``_close_js_exception``);
* the modules that hand out JavaScript (``js``, ``pyodide_js``, ``pyodide.code``,
  ``pyodide.webloop``, ``pyodide.http`` …) cannot be imported;
* ``ctypes`` (raw memory, C function pointers) stays closed however it is imported: builtin
  modules can only be imported in the instances made when the runtime started, so deleting a
  module from ``sys.modules`` or calling ``_imp.create_builtin`` gives nothing new, and
  ``_imp.create_dynamic`` (loading a compiled extension from a file) refuses;
* no code object is made by hand, from bytecode the program wrote (codeguard.py).

``lock_down()`` is called once, at install time, so a memory snapshot of the interpreter is
already locked; ``remove_js_handles()`` by the host after the snapshot is made (or restored):
Pyodide's snapshot must still find its own JavaScript handles in place when it is made, so
``record_js_handles()`` notes where they are held just before, for the restored ones.
"""

import sys
from bisect import bisect_right
from itertools import accumulate, chain, compress, count
from operator import or_

from .codeguard import close_hand_made_code

# Builtin modules no program may have: raw memory and C calls (ctypes), and CPython's own test
# and fuzzing helpers, built into this Pyodide: _testlimitedcapi.pylong_asvoidptr turns any
# number into an object, which a reviewer used to read and write all of the interpreter's
# memory and forge `to_js` back from its method table; xxsubtype and _remote_debugging with them.
_FORBIDDEN_BUILTINS = frozenset(
    name for name in sys.builtin_module_names
    if name.startswith(("_test", "_xx", "xx")) or name in ("_ctypes", "_remote_debugging")
)
# Python modules that give raw memory and C calls.
_NATIVE_MODULES = ("ctypes", "ctypes.util", "ctypes.wintypes") + tuple(sorted(_FORBIDDEN_BUILTINS))
# Python modules that exist to hand out JavaScript objects. Pyodide itself imports some of
# them while it restores a snapshot, so they are closed only after that (remove_js_handles).
_JS_MODULES = (
    "js", "pyodide_js", "pyodide_js._api",
    "pyodide.code", "pyodide.webloop", "pyodide.http", "pyodide.console", "pyodide.ffi.wrappers",
    "pyodide._package_loader", "micropip",
)
_js_closed = False
# What _pyodide_core and pyodide.ffi offer that turns Python into JavaScript or runs it.
_JS_MAKERS = (
    "to_js", "create_proxy", "create_once_callable", "raw_call", "run_sync", "can_run_sync",
    "destroy_proxies", "run_js", "js2py_promise", "create_promise_converter", "py2js_deep",
    "py2js_default", "py2js_as_js_json", "register_js_module", "unregister_js_module",
    "JsFuncSignature", "trigger_fatal_error",
    # JavaScript→Python converters: JavaScript code run on arguments a program chooses (a
    # reviewer crashed Pyodide through js2py_convert with ordinary Python values).
    "js2py_deep", "js2py_default", "js2py_as_py_json", "Js2PyConverter", "Py2JsConverter",
    "js2py_bind", "js2py_default_call_result",
    # What makes converters from a signature or an annotation (_pyodide/jsbind.py): a reviewer
    # reached py2js_default through jsbind.default_signature, a JsFuncSignature instance.
    "TypeConverter", "func_to_sig", "func_to_sig_inner",
)
# Where Pyodide's own modules live: a maker may be imported into any of them, under any name
# (``from .ffi import to_js``: pyodide._package_loader kept to_js, pyodide.webloop
# create_once_callable, _pyodide.jsbind the converters, until a reviewer called them).
_PYODIDE_MODULES = ("_pyodide", "pyodide", "js", "micropip")


# Pyodide's C types a program must never make, nor initialise again. JsFuncSignature's __init__
# (Pyodide 314.0.7, src/core/jsproxy_call.c, JsFuncSignature_init) parses its arguments straight
# into the object's fields and takes its references to them only once every argument parsed: a
# call that fails part-way leaves a field holding an object it does not own, freed under it. A
# reviewer turned that into a bytearray over all of the interpreter's memory, and from there into
# JavaScript objects (attack 42). The type is static and immutable, so Python cannot take its
# constructor away: ``unmade_types()`` drops ``__new__`` and ``__init__`` from its dict and the
# host clears its tp_new and tp_init slots in memory (src/runtime/type-slots.ts).
# ``_lsprof.Profiler`` (C, behind cProfile) reads the real clock when given no timer: programs
# get lsprof.py's instead, and the C type, still found through ``object.__subclasses__()``,
# cannot be made (a second attacker used it as a microsecond stopwatch). Each as its module
# and name.
_UNMADE_TYPES = (("builtins", "JsFuncSignature"), ("_lsprof", "Profiler"))


def unmade_types():
    """Drops ``__new__`` and ``__init__`` from the dict of each type in ``_UNMADE_TYPES`` and
    returns, as JSON, where the host finds each type's slots and what it checks before it
    writes: ``[{"name", "address", "base", "dict", "basicsize"}]`` (addresses in the
    interpreter's memory, sizes in bytes). Run at every start, before any program. Raises if a
    type is missing: a Pyodide without it must be looked at before Loop Lab trusts it."""
    import gc
    import json

    found = []
    for module, name in _UNMADE_TYPES:
        matches = [c for c in object.__subclasses__() if c.__name__ == name and c.__module__ == module]
        if len(matches) != 1:
            raise RuntimeError(f"Loop Lab's sandbox expects one C type named {name}, found {len(matches)}")
        cls = matches[0]
        real = [d for d in gc.get_referents(cls.__dict__) if type(d) is dict]
        if len(real) != 1:
            raise RuntimeError(f"Loop Lab's sandbox cannot find the dict of {name}")
        real[0].pop("__new__", None)
        real[0].pop("__init__", None)
        found.append({"name": name, "address": id(cls), "base": id(cls.__base__),
                      "dict": id(real[0]), "basicsize": cls.__basicsize__})
        del real, cls, matches
    clear = getattr(sys, "_clear_internal_caches", None) or sys._clear_type_cache
    clear()  # no cached lookup of the dropped entries survives
    return json.dumps(found)


def close_native_doors():
    """Marks the forbidden modules as never importable (again after each run ends)."""
    for name in _NATIVE_MODULES + (_JS_MODULES if _js_closed else ()):
        sys.modules[name] = None


def lock_down():
    """Names Loop Lab as the runtime (not the host), shuts the import doors (builtins,
    extensions, native code), and strips every class of the JsProxies it holds. Once, at
    install, before any snapshot is made: it cannot be undone."""
    _same_runtime_everywhere()
    _preimport_builtins()
    _python_profiler()
    _gatekeep_imp()
    close_native_doors()
    proxy_type = _js_proxy_type()
    if proxy_type is not None:
        _strip_classes(_ProxyTest(proxy_type))


def _same_runtime_everywhere():
    """``sys._emscripten_info.runtime`` names Loop Lab, not the host: CPython reads it once, as it
    starts, from Emscripten's JavaScript, which gives the browser's user agent, or "Node.js"
    and Node's version (in a snapshot the CLI made, for every later run). A program that printed
    it or branched on it ran differently in the app and in the command-line tool."""
    info = sys._emscripten_info
    sys._emscripten_info = type(info)((info.emscripten_version, "Loop Lab", info.pthreads, info.shared_memory))


def _strip_classes(is_proxy):
    """No class a module defines holds a JsProxy (none does in Pyodide 314.0.7: this is a guard
    for the next one). Done at install time, so a restored interpreter has it already: the
    walk over ~1,000 classes took ~0.1 s of every start when it came after the restore."""
    for name, module in list(sys.modules.items()):
        namespace = getattr(module, "__dict__", None) if module is not None else None
        if not isinstance(namespace, dict):
            continue
        for value in is_proxy.values_with(namespace, _CLASS):
            if getattr(value, "__module__", None) == name:
                _strip_class(value, is_proxy)


def _preimport_builtins():
    for name in sys.builtin_module_names:
        if name in _FORBIDDEN_BUILTINS or name in sys.modules:
            continue
        try:
            __import__(name)
        except Exception:  # a builtin this build cannot start here: nobody can have it
            pass


_c_profiler = None  # the C _lsprof.Profiler, kept (see _python_profiler)


def _python_profiler():
    """``import _lsprof`` gives lsprof.py (its Profiler reads the virtual clock), and so does the
    builtin importer (_gatekeep_imp hands out what sys.modules holds now); cProfile, if already
    imported, is imported again over it."""
    global _c_profiler
    from . import lsprof

    # Kept, so that it is found and closed at every start (unmade_types) rather than freed or
    # not as the collector happens to run: a program finds it through object.__subclasses__().
    _c_profiler = sys.modules["_lsprof"].Profiler
    sys.modules["_lsprof"] = lsprof
    sys.modules.pop("cProfile", None)


def _gatekeep_imp():
    """``_imp.create_builtin`` gives back the instance made at start-up, never a new one."""
    import _imp

    made = {name: module for name, module in sys.modules.items()
            if module is not None and name in sys.builtin_module_names
            and name not in _FORBIDDEN_BUILTINS}

    def create_builtin(spec):
        module = made.get(getattr(spec, "name", None))
        if module is None:
            raise ImportError(f"No module named {getattr(spec, 'name', spec)!r}",
                              name=getattr(spec, "name", None))
        return module

    def create_dynamic(spec, file=None):
        raise ImportError("Loop Lab does not load compiled extension modules",
                          name=getattr(spec, "name", None))

    create_builtin.__qualname__ = create_builtin.__name__ = "create_builtin"
    create_dynamic.__qualname__ = create_dynamic.__name__ = "create_dynamic"
    _imp.create_builtin = create_builtin
    _imp.create_dynamic = create_dynamic


def remove_js_handles(recorded=False):
    """No module keeps a JsProxy, and nothing offers a way to make one: every reference to a
    maker (``to_js`` …, found by name in Pyodide's modules, then dropped by identity from
    everything ``gc.get_objects()`` lists, whatever it is called there), and the import hook
    that serves registered JavaScript modules (js, pyodide_js).

    ``recorded``: ``record_js_handles()`` ran just before a snapshot was made of this memory
    (this interpreter made it, or was restored from it), so the entries to drop are the ones
    it recorded (popped at once) rather than looked for again (a walk of every dict: ~0.2 s in
    Node, ~0.2 s in Chromium). Without a record, the walk is done."""
    global _js_closed, _recorded_hits
    makers = _makers()
    for finder in _finders():
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
        _close_finder(finder)
    _close_js_exception()
    _unlink_js_modules()
    hits, _recorded_hits = _recorded_hits, None
    if recorded and hits is not None:
        _scrub_recorded(hits, makers)
    else:
        del hits
        _scrub_everywhere(_ProxyTest(_js_proxy_type(), _maker_types(makers)), makers)
    _js_closed = True
    close_native_doors()
    close_hand_made_code()  # before the freeze: its hook is then out of gc's lists too
    _keep_frozen()


def _keep_frozen():
    """What is frozen now stays frozen: ``gc.unfreeze()`` no longer does anything.

    Some objects are held only from outside Python's reach, by C or JavaScript: the default
    signature's converters (``Py2JsConverter``, ``Js2PyConverter``, held by Pyodide's C static
    ``default_signature``). Their types are immutable, so their methods cannot be made to
    refuse, and ``py2js_convert``, given a list, hands back a JsProxy of an error marker (a
    Symbol: its constructor chain reaches ``Function`` and ``Object``; a reviewer's attack,
    attack 37). Nothing in Python names them: only the collector lists them, and it lists
    only objects that are not frozen (``gc.get_objects`` and ``gc.get_referrers`` leave out
    the permanent generation). The scrub ends with ``gc.freeze()``, so every object made while
    the runtime started is out of a program's sight, as long as it stays frozen. The objects a
    program makes are listed as usual, and ``gc.freeze()`` works as usual."""
    import gc

    def unfreeze():
        """Loop Lab keeps the objects of its own start-up frozen: this does nothing."""

    gc.freeze()
    gc.unfreeze = unfreeze


def _makers():
    """Every maker of JavaScript objects in Pyodide's modules, and the import hook's finders,
    by id (the scrub drops them by identity, under whatever name they are held)."""
    makers = {}
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "_pyodide_core" or name.split(".")[0] in _PYODIDE_MODULES):
            continue
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict):
            continue
        for attr in _JS_MAKERS:
            value = namespace.get(attr)
            if value is not None:
                makers[id(value)] = value
    for finder in _finders():
        makers[id(finder)] = finder
    return makers


def _finders():
    """The import hook's JsFinder, as the modules that keep it name it."""
    found = []
    for name in ("_pyodide._importhook", "pyodide._state"):
        module = sys.modules.get(name)
        finder = getattr(module, "jsfinder", None) if module is not None else None
        if finder is not None and all(finder is not f for f in found):
            found.append(finder)
    return found


def _maker_types(makers):
    return [maker for maker in makers.values() if isinstance(maker, type)]


# [(dict, key, value)]: every entry holding a JsProxy or a maker when the snapshot was made
# (record_js_handles); None once used, or in an interpreter that made no snapshot.
_recorded_hits = None


def record_js_handles():
    """Called by the host just before it makes the memory snapshot: finds where every JsProxy
    and maker is held (the walk ``remove_js_handles`` does) and keeps that list, in the
    snapshot, so that every interpreter with this memory (the one making the snapshot, and
    each one restored from it) drops exactly those entries without walking again.

    Why nothing is missed: a restore gives back this memory as it is now, and makes no new
    JsProxy before the scrub. Pyodide's own restore (pyodide.asm.mjs 314.0.7) only fills its
    JavaScript-side table again (``syncUpSnapshotLoad2``), imports modules already imported
    (``finalizeBootstrap``), and runs a little Python of its own (``finalizeSetup``:
    ``sys.path.insert(0, "")``, ``set_excepthook()``, ``os.environ`` set); everything it gets
    back from Python is held in JavaScript (PyProxies), not in Python. Should a recorded entry
    hold something else by then, the record is not trusted (``_scrub_recorded``). Attack 19 walks every object
    of a restored interpreter for a JsProxy (tests/sandbox.test.ts, e2e/isolation.spec.ts)."""
    global _recorded_hits
    import gc
    makers = _makers()
    gc.unfreeze()
    found = _find_hits(_ProxyTest(_js_proxy_type(), _maker_types(makers)), makers)
    _recorded_hits = [(d, key, dict.get(d, key)) for d, key in found if d is not makers]
    del found
    gc.freeze()


def _scrub_recorded(recorded, makers):
    """Drops the recorded entries; if any of them no longer holds what was recorded (something
    between the snapshot and now changed it: a later Pyodide's restore, say), the record cannot
    be trusted, and every dict is walked as on a cold start.

    The snapshot's objects stay frozen throughout (``record_js_handles`` froze them). What the
    dropped entries held is freed by its reference count; what only a cycle of frozen objects
    keeps alive stays in memory, but nothing reaches it: no reachable object refers to it, and
    the collector's lists (``gc.get_objects``, ``gc.get_referrers``) leave frozen objects out,
    for good (``_keep_frozen``). Collecting it would mean unfreezing and walking the whole heap:
    64–80 ms of every restored start, measured in Node here. Only the few objects made since the
    restore are collected."""
    import gc
    if any(dict.get(d, key) is not value for d, key, value in recorded):
        recorded.clear()
        _scrub_everywhere(_ProxyTest(_js_proxy_type(), _maker_types(makers)), makers)
        return
    for d, key, value in recorded:
        dict.pop(d, key, None)
    recorded.clear()
    makers.clear()  # the last references to them
    gc.collect()
    gc.freeze()


_NO_JS = "JavaScript objects cannot be made in Loop Lab"


def _refusing_code(free_vars):
    """A code object that raises TypeError, with ``free_vars`` free variables (a function's
    ``__code__`` may only be swapped for code with as many)."""
    if free_vars == 0:
        def refuse(*_args, **_kwargs):
            raise TypeError(_NO_JS)
        return refuse.__code__
    if free_vars == 1:
        cell = None

        def refuse(*_args, **_kwargs):
            cell  # noqa: B018 -- only here to make this code's one free variable
            raise TypeError(_NO_JS)
        return refuse.__code__
    return None


def _close_finder(finder):
    """The import hook's JsFinder stays alive after the scrub (JavaScript holds its bound
    ``register_js_module``), where ``gc.get_objects()`` lists it: its table of JavaScript modules
    is emptied, and its methods refuse, for every instance, however they are reached."""
    finder.__dict__.clear()
    for attr in ("find_spec", "register_js_module", "unregister_js_module"):
        _refuse_in_place(type(finder).__dict__.get(attr))


def _refuse_in_place(func):
    """Swaps a Python function's code for code that refuses (TypeError), so that every
    reference to it refuses, wherever a program finds one; anything else is left alone."""
    code = getattr(func, "__code__", None)
    replacement = _refusing_code(len(code.co_freevars)) if code is not None else None
    if replacement is not None:
        try:
            func.__code__ = replacement
        except (AttributeError, TypeError, ValueError):
            pass


def _close_js_exception():
    """``JsException(name, message)``, its ``_new_exc`` and ``new`` make a JavaScript Error
    object (a JsProxy with a ``constructor``: Error, then Function, Object …). Pyodide's
    ``__new__`` and ``_new_exc`` are Python functions (Lib _pyodide/_core_docs.py, copied onto
    the real class in pyodide.ffi): their code is replaced in place, so every reference to them
    refuses, and the class's entries are replaced too. JavaScript errors that reach Python from
    JavaScript are made by the C core, not by these."""
    classes = set()
    for name in ("pyodide.ffi", "_pyodide_core", "_pyodide._core_docs"):
        module = sys.modules.get(name)
        cls = getattr(module, "JsException", None) if module is not None else None
        if isinstance(cls, type):
            classes.add(cls)
    for cls in Exception.__subclasses__():
        if cls.__name__ == "JsException":
            classes.add(cls)
    for cls in classes:
        for attr in ("__new__", "_new_exc", "new"):
            entry = cls.__dict__.get(attr)
            if entry is None:
                continue
            _refuse_in_place(getattr(entry, "__func__", entry))
            try:
                setattr(cls, attr, staticmethod(_refuse_js) if attr == "__new__" else classmethod(_refuse_js))
            except (AttributeError, TypeError):
                pass


def _refuse_js(*_args, **_kwargs):
    raise TypeError(_NO_JS)


# What a value may be, as bits: a JsProxy, a class.
_PROXY, _CLASS = 1, 2


class _ProxyTest(dict):
    """``is_proxy(value)``: ``isinstance(value, JsProxy)``, asked once per type.

    Pyodide's JsProxy metaclass answers isinstance in Python, from the type alone
    (``_JsProxyMetaClass.__instancecheck__`` in _pyodide/_core_docs.py, Pyodide 314.0.7). The
    scrub looks at about 70,000 values: asked of each, that was 0.6 s of a 0.75 s restore in
    Node (measured here). With a bit per type looked up once, the scrub and ``keys_with`` /
    ``values_with`` pick JsProxies (or classes) out at C speed, so only those few values are
    looked at in Python."""

    def __init__(self, proxy_type, maker_types=()):
        super().__init__()
        self.proxy_type = proxy_type
        # Classes among the makers (JsFuncSignature, Py2JsConverter, TypeConverter …): an
        # instance of one makes JavaScript as well as the class does, so it counts as a JsProxy.
        self.maker_types = tuple(maker_types)

    def __call__(self, value):
        return self[type(value)] & _PROXY

    def __missing__(self, kind):
        proxy = (self.proxy_type is not None and issubclass(kind, self.proxy_type)) or \
            (bool(self.maker_types) and issubclass(kind, self.maker_types))
        bits = (_PROXY if proxy else 0) | (_CLASS if issubclass(kind, type) else 0)
        self[kind] = bits
        return bits

    def keys_with(self, namespace, bit):
        """The keys of ``namespace`` (a dict or mappingproxy) whose values' kind has ``bit``."""
        return list(compress(list(namespace), map(bit.__and__, map(self.__getitem__, map(type, namespace.values())))))

    def values_with(self, namespace, bit):
        """The values in ``namespace`` whose kind has ``bit``."""
        values = list(namespace.values())
        return list(compress(values, map(bit.__and__, map(self.__getitem__, map(type, values)))))


# The objects that hold JsProxies once Pyodide has started (found by walking everything
# gc.get_objects() lists, with gc.get_referents, in Pyodide 314.0.7): sys.modules and module
# namespaces (scheduleCallback, loadedPackages, the `js`/`pyodide_js` module objects), the
# import hook's JsFinder (its table of registered JavaScript modules) and JsLoader instances
# (the loaders of `pyodide_js` and `pyodide_js._api`, kept alive by their module specs).
# tests/attacks/19-walk-for-js-handles.py walks everything again, as an attacker would.
_HOLDER_TYPES = frozenset({"JsLoader", "JsFinder"})


def _unlink_js_modules():
    """The modules that hand out JavaScript are no longer attributes of their packages
    (``import pyodide`` then ``pyodide.webloop`` reached them past ``sys.modules``)."""
    for name in _JS_MODULES:
        parent, _, child = name.rpartition(".")
        namespace = getattr(sys.modules.get(parent), "__dict__", None) if parent else None
        if isinstance(namespace, dict):  # (pyodide_js is a JsProxy, not a module)
            namespace.pop(child, None)


def _scrub_everywhere(is_proxy, makers):
    """Every dict a program can find lets go of every JsProxy and every maker it holds (see
    ``_find_hits``)."""
    import gc
    gc.unfreeze()
    for d, key in _find_hits(is_proxy, makers):
        dict.pop(d, key, None)
    makers.clear()  # the last references to them, before the collection
    gc.collect()
    gc.freeze()


def _find_hits(is_proxy, makers):
    """(dict, key) of every entry holding a JsProxy or a maker, in every dict a program can
    find: the namespaces of modules (popped from sys.modules or not) and of the import
    machinery's JsFinder and JsLoader instances, sys.modules itself (it held ``pyodide_js``),
    and every other dict ``gc.get_objects()`` lists (the JsFinder's table held the `js` module;
    the interpreter's copy of ``_pyodide_core``'s namespace, kept for re-imports, held
    ``to_js``, ``create_proxy`` …: reviewers reached JavaScript through both). The collector
    must be unfrozen (frozen objects are not listed).

    ~3 MB of values in ~10,000 dicts are looked at in one pass at C speed (a bit per type, an
    identity lookup per value); only the few that hit are handled in Python."""
    import gc
    import types
    everything = gc.get_objects()
    kinds = set(map(type, everything))
    holders = {kind for kind in kinds
               if issubclass(kind, types.ModuleType) or kind.__name__ in _HOLDER_TYPES}
    dict_kinds = {kind for kind in kinds if issubclass(kind, dict)}
    namespaces = []
    for obj in compress(everything, map(holders.__contains__, map(type, everything))):
        namespace = getattr(obj, "__dict__", None)
        if isinstance(namespace, dict):
            namespaces.append(namespace)
    candidates = chain((sys.modules,), namespaces,
                       compress(everything, map(dict_kinds.__contains__, map(type, everything))))
    dicts = list({id(d): d for d in candidates}.values())
    del everything, namespaces, candidates  # before the collection: they keep what is dropped alive
    # dict.keys/dict.values: the same order for a dict subclass too (an OrderedDict moved around).
    keys = list(chain.from_iterable(map(dict.keys, dicts)))
    values = list(chain.from_iterable(map(dict.values, dicts)))
    hits = compress(count(), map(or_, map(_PROXY.__and__, map(is_proxy.__getitem__, map(type, values))),
                                 map(makers.__contains__, map(id, values))))
    ends = list(accumulate(map(len, dicts)))
    found = [(dicts[bisect_right(ends, at)], keys[at]) for at in hits]
    del keys, values, dicts
    return found


def _strip_class(cls, is_proxy):
    for attr in is_proxy.keys_with(vars(cls), _PROXY):
        try:
            delattr(cls, attr)
        except (AttributeError, TypeError):
            pass


def _js_proxy_type():
    core = sys.modules.get("_pyodide_core")
    typedict = getattr(core, "jsproxy_typedict", None) if core is not None else None
    ffi = sys.modules.get("pyodide.ffi")
    proxy = getattr(ffi, "JsProxy", None) if ffi is not None else None
    return proxy if isinstance(proxy, type) else (typedict and typedict.get(0))
