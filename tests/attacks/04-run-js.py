# Attack: pyodide.code.run_js (JavaScript eval)
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

def run_js(code):
    from pyodide.code import run_js as run
    return run(code)
attempt("run_js('self')", lambda: run_js("self"))
attempt("run_js('fetch(\"https://example.com\")')", lambda: run_js('fetch("https://example.com")'))
