# Attack: the Function constructor reached through a JS proxy
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

def to_js(value):
    from pyodide.ffi import to_js as convert
    return convert(value)
attempt("to_js({}).constructor.constructor('return self')()", lambda: to_js({}).constructor.constructor("return self")())
attempt("to_js([]).constructor.constructor('return fetch')()", lambda: to_js([1]).constructor.constructor("return fetch")())
