# Attack: pyodide_js, Pyodide's own JavaScript API
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

attempt("import pyodide_js", lambda: __import__("pyodide_js"))
attempt("import pyodide_js._api", lambda: __import__("pyodide_js._api"))
