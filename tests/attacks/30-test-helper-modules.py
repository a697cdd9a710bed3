# Attack: CPython's test and fuzzing helpers built into the interpreter (_testlimitedcapi.pylong_asvoidptr turns a number into an object: raw memory, then any function forged back), however they are imported
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import gc, importlib, importlib.machinery, importlib.util, sys

HELPERS = ("_testlimitedcapi", "_testcapi", "_testinternalcapi", "_testbuffer", "_testclinic",
           "_testclinic_limited", "_xxtestfuzz", "xxsubtype", "_remote_debugging")


def plain_import():
    found = []
    for name in HELPERS:
        try:
            found.append(importlib.import_module(name).__name__)
        except ImportError:
            pass
    if not found:
        raise ImportError("none of them")
    return found


def from_sys_modules_after_delete():
    found = []
    for name in HELPERS:
        sys.modules.pop(name, None)
        try:
            found.append(__import__(name).__name__)
        except ImportError:
            pass
    if not found:
        raise ImportError("none of them")
    return found


def through_builtin_importer():
    found = []
    for name in HELPERS:
        spec = importlib.machinery.BuiltinImporter.find_spec(name)
        if spec is None:
            continue
        try:
            found.append(importlib.util.module_from_spec(spec).__name__)
        except ImportError:
            pass
    if not found:
        raise ImportError("none of them")
    return found


def in_the_collector():
    gc.unfreeze()
    found = [m.__name__ for m in gc.get_objects()
             if type(m).__name__ == "module" and m.__name__ in HELPERS]
    if not found:
        raise LookupError("none of them")
    return found


def pointer_to_object():
    import _testlimitedcapi
    return _testlimitedcapi.pylong_asvoidptr(id(print)) is print


attempt("import a test helper module", plain_import)
attempt("import one after deleting it from sys.modules", from_sys_modules_after_delete)
attempt("make one from BuiltinImporter's spec", through_builtin_importer)
attempt("find one in the collector's objects", in_the_collector)
attempt("turn a number into an object (pylong_asvoidptr)", pointer_to_object)
