# Attack: Pyodide's scheduleCallback hands a capture_this proxy the worker's global scope
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import builtins

def via_webloop():
    from pyodide.webloop import scheduleCallback
    from pyodide.ffi import create_proxy
    def grab(G, *_, b=builtins):
        b.G = G
    scheduleCallback(create_proxy(grab, capture_this=True), 20)
    return "scheduled"
attempt("pyodide.webloop.scheduleCallback", via_webloop)

def via_ffi():
    from pyodide.ffi import create_proxy, to_js
    return to_js({}).constructor
attempt("pyodide.ffi.to_js(...).constructor", via_ffi)

def via_core():
    import _pyodide_core
    return _pyodide_core.create_proxy(print)
attempt("_pyodide_core.create_proxy", via_core)

def via_fresh_core():
    import _imp, sys
    from importlib.machinery import ModuleSpec
    sys.modules.pop("_pyodide_core", None)
    core = _imp.create_builtin(ModuleSpec("_pyodide_core", None))
    return core.to_js([]).constructor
attempt("a fresh _pyodide_core from _imp.create_builtin", via_fresh_core)

def via_run_js():
    import pyodide.code
    return pyodide.code.run_js("globalThis")
attempt("pyodide.code.run_js", via_run_js)

def via_registered_modules():
    import sys
    for name in ("js", "pyodide_js", "pyodide_js._api"):
        sys.modules.pop(name, None)
    import pyodide_js
    return pyodide_js._api.scheduleCallback
attempt("import pyodide_js after popping the block", via_registered_modules)
