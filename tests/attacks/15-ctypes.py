# Attack: calling the runtime's C functions with ctypes
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

attempt("import ctypes", lambda: __import__("ctypes"))
def run_script():
    import sys
    for name in ("ctypes", "_ctypes"):
        sys.modules.pop(name, None)  # undo the block, then try again
    import ctypes
    libc = ctypes.CDLL(None)
    return libc.emscripten_run_script_int(b"typeof fetch === 'function' ? 1 : 0")
attempt("ctypes emscripten_run_script_int", run_script)
