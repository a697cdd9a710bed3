# Attack: the default signature's converters, held by Pyodide's C (gc.get_objects() listed them once unfrozen, or gc.get_referrers() of their type): py2js_convert, given a list, fails inside and hands back a JsProxy of an error marker (a Symbol) whose constructor chain reaches Function and Object (a reviewer's attack).
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import gc

CONVERTERS = ("Py2JsConverter", "Js2PyConverter", "JsFuncSignature")


def listed():
    gc.unfreeze()
    found = [o for o in gc.get_objects() if type(o).__name__ in CONVERTERS]
    if not found:
        raise LookupError("no converter listed")
    return found


def by_type():
    kinds = [c for c in object.__subclasses__() if c.__name__ in CONVERTERS]
    found = [r for kind in kinds for r in gc.get_referrers(kind) if type(r).__name__ in CONVERTERS]
    if not found:
        raise LookupError("no converter refers to its type")
    return found


def error_marker():
    converter = next(o for o in listed() if type(o).__name__ == "Py2JsConverter")
    box = []
    for _ in range(3):  # the first call is caught failing; the next ones returned the marker
        try:
            box.append(converter.py2js_convert([1, 2]))
            box.append("after")
        except SystemError:
            pass
        if box:
            break
    marker = box[0]
    return marker.constructor.constructor  # Symbol, then Function


attempt("a converter gc lists, unfrozen", listed)
attempt("a converter among its type's referrers", by_type)
attempt("Function from py2js_convert's error marker", error_marker)
