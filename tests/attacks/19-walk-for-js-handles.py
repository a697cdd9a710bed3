# Attack: every place a program can look for a JavaScript handle: modules, builtins, frames, the collector's objects, Pyodide's internals
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import builtins, collections, gc, sys, types

def js_proxy_type():
    try:
        from pyodide.ffi import JsProxy
        return JsProxy
    except ImportError:
        return None

JsProxy = js_proxy_type()

def walk():
    if JsProxy is None:
        raise LookupError("no JsProxy type to look for")
    roots = [sys.modules, vars(builtins)]
    frame = sys._getframe()
    while frame is not None:
        roots.append(frame)
        frame = frame.f_back
    gc.unfreeze()
    roots.extend(gc.get_objects())
    for name in ("_pyodide_core", "_pyodide", "_pyodide._base", "_pyodide._importhook", "pyodide", "pyodide.ffi"):
        module = sys.modules.get(name)
        if module is not None:
            roots.append(module)
    seen = set()
    queue = collections.deque(roots)
    found = []
    while queue:
        obj = queue.popleft()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, JsProxy):
            # Any JsProxy at all: object_keys() gives an Array, and its constructor Function.
            found.append(repr(obj)[:60])
            continue
        try:
            queue.extend(gc.get_referents(obj))
        except Exception:
            pass
    print(f"looked at {len(seen)} objects")
    if found:
        return found
    raise LookupError("no JsProxy")

attempt("a JsProxy, any, anywhere", walk)
