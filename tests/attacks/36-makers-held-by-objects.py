# Attack: reach a maker of JavaScript objects through an object rather than a name: jsbind's default_signature and type_converter (a reviewer reached py2js_default through them), the converters JavaScript keeps alive where gc.get_objects() lists them, and the import hook's JsFinder, which JavaScript keeps alive after the scrub.
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import gc, sys

gc.unfreeze()
everything = gc.get_objects()


attempt("jsbind.default_signature", lambda: sys.modules["_pyodide.jsbind"].default_signature)
attempt("jsbind.type_converter", lambda: sys.modules["_pyodide.jsbind"].type_converter)


def javascript_from_a_converter():
    # JavaScript itself keeps jsbind's default signature and its converters alive, where gc
    # lists them (a known gap: their types are C types). What matters is what they give back.
    converter = next(o for o in everything if type(o).__name__ == "Py2JsConverter")
    for value in ({"a": 1}, [1, 2], (1, 2), b"xy", object()):
        result = converter.py2js_convert(value)
        kind = type(result)
        if kind.__module__ != "builtins" and kind.__name__ not in ("JsBigInt",):
            return result
    raise LookupError("every value came back as a plain Python value")


attempt("a JavaScript object made by a converter gc still lists", javascript_from_a_converter)


def finder():
    return next(o for o in everything if type(o).__name__ == "JsFinder")


attempt("the JsFinder's table of JavaScript modules", lambda: finder().jsproxies)
attempt("register a module through the JsFinder", lambda: type(finder()).register_js_module(finder(), "js2", object()))
attempt("find a JavaScript module through the JsFinder", lambda: type(finder()).find_spec(finder(), "js", None) or 1 / 0)
del everything
