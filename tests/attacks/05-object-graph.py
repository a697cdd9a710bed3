# Attack: walking the object graph for JavaScript proxies
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import gc, sys
from pyodide.ffi import JsProxy

found = {}
# Up the call stack: whatever ran this program may hold JavaScript objects in its locals.
frame = sys._getframe()
while frame is not None:
    for scope in (frame.f_locals, frame.f_globals):
        for name, value in list(scope.items()):
            if isinstance(value, JsProxy):
                found[id(value)] = (f"{frame.f_code.co_name}.{name}", value)
    frame = frame.f_back
# Everywhere the collector can see, after asking it to forget any freeze.
gc.unfreeze()
for obj in gc.get_objects():
    if isinstance(obj, JsProxy):
        found[id(obj)] = (f"gc object {type(obj).__name__}", obj)
print(f"found {len(found)} JavaScript objects")
if not found:
    print("blocked: no JavaScript object reachable")
for label, proxy in found.values():
    attempt(f"{label}.constructor.constructor", lambda p=proxy: p.constructor.constructor("return globalThis")())
    attempt(f"{label}.call(self)", lambda p=proxy: p.call.constructor("return fetch")())
