# Attack: ctypes, however it is imported
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import sys

def pop_and_import():
    for name in ("ctypes", "_ctypes"):
        sys.modules.pop(name, None)
    import ctypes
    return ctypes.CDLL(None)
attempt("pop ctypes from sys.modules, import again", pop_and_import)

def create_builtin():
    import _imp
    from importlib.machinery import ModuleSpec
    return _imp.create_builtin(ModuleSpec("_ctypes", None))
attempt("_imp.create_builtin('_ctypes')", create_builtin)

def builtin_importer():
    import importlib.machinery
    spec = importlib.machinery.BuiltinImporter.find_spec("_ctypes")
    return importlib.machinery.BuiltinImporter.create_module(spec)
attempt("BuiltinImporter", builtin_importer)

def dynamic():
    import _imp
    from importlib.machinery import ModuleSpec
    with open("/tmp/evil.so", "wb") as f:
        f.write(b"\0asm\x01\0\0\0")
    return _imp.create_dynamic(ModuleSpec("evil", None, origin="/tmp/evil.so"))
attempt("_imp.create_dynamic on a file the program wrote", dynamic)
