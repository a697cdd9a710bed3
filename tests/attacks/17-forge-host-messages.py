# Attack: posting messages to the host page
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import gc
from pyodide.ffi import JsProxy
def post():
    for o in gc.get_objects():
        if isinstance(o, JsProxy) and hasattr(o, "postMessage"):
            o.postMessage({"type": "finished", "runId": 1})
            return "posted"
    raise LookupError("no postMessage reachable")
attempt("postMessage to the page", post)
