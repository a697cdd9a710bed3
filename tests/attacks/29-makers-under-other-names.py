# Attack: the functions that make JavaScript objects (to_js, create_once_callable, the converters …), looked for in every module, popped ones included, under any name, and through the package attributes of closed modules
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import gc, types
import pyodide

MAKER_NAMES = {
    "to_js", "create_proxy", "create_once_callable", "raw_call", "run_sync", "can_run_sync",
    "destroy_proxies", "run_js", "js2py_promise", "create_promise_converter", "py2js_deep",
    "py2js_default", "py2js_as_js_json", "register_js_module", "unregister_js_module",
    "JsFuncSignature", "trigger_fatal_error", "js2py_deep", "js2py_default", "js2py_as_py_json",
    "Js2PyConverter", "Py2JsConverter", "js2py_bind", "js2py_default_call_result", "jsfinder",
}


def makers_in_modules():
    gc.unfreeze()
    found = [f"{module.__name__}.{name}" for module in gc.get_objects()
             if isinstance(module, types.ModuleType) for name in vars(module) if name in MAKER_NAMES]
    if not found:
        raise LookupError("no module holds a maker")
    return found


def to_js_from_package_loader():
    return pyodide._package_loader.to_js([1, 2]).constructor.constructor


def once_callable_from_webloop():
    return pyodide.webloop.create_once_callable(print).constructor


def to_js_from_a_popped_module():
    loader = next(m for m in gc.get_objects()
                  if isinstance(m, types.ModuleType) and m.__name__ == "pyodide._package_loader")
    return loader.to_js([1, 2]).constructor


def converter_from_jsbind():
    import _pyodide.jsbind as jsbind
    return jsbind.py2js_default


def a_working_maker_in_any_dict():
    # Anything named like a maker, held by any dict (an interpreter's copy of _pyodide_core's
    # namespace, kept for re-imports, held them all): does it make something JavaScript?
    # (typing keeps pyodide.ffi's @overload stubs of create_proxy: they return None.)
    gc.unfreeze()
    for obj in gc.get_objects():
        if not isinstance(obj, dict):
            continue
        for value in list(obj.values()):
            if getattr(value, "__name__", None) not in MAKER_NAMES or not callable(value):
                continue
            try:
                made = value([1, 2])
            except Exception:
                continue
            if type(made).__name__ == "JsProxy" or hasattr(made, "constructor"):
                return f"{value.__name__} in a dict made {made!r}"
    raise LookupError("nothing in any dict makes JavaScript")


attempt("a maker by name in any module (gc)", makers_in_modules)
attempt("pyodide._package_loader.to_js", to_js_from_package_loader)
attempt("pyodide.webloop.create_once_callable", once_callable_from_webloop)
attempt("to_js of the package loader found by gc", to_js_from_a_popped_module)
attempt("_pyodide.jsbind's converters", converter_from_jsbind)
attempt("a working maker held in any dict, under any name", a_working_maker_in_any_dict)
