# Attack: the js module as a door to the worker's global scope
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

def js():
    import js
    return js
attempt("import js", js)
for name in ("fetch", "self", "globalThis", "postMessage", "importScripts"):
    attempt(f"js.{name}", lambda n=name: getattr(js(), n))
