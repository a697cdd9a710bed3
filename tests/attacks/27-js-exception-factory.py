# Attack: make new JavaScript objects through JsException (a JS Error, then its constructor: Error, Function, Object)
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import gc, pickle, sys

def js_exception_classes():
    found = [c for c in Exception.__subclasses__() if c.__name__ == "JsException"]
    core = sys.modules.get("_pyodide_core")
    if core is not None and hasattr(core, "JsException"):
        found.append(core.JsException)
    if not found:
        raise LookupError("no JsException class")
    return found

def constructor_of(made):
    return made.constructor.constructor  # Error, then Function

def make(how):
    def action():
        for cls in js_exception_classes():
            return constructor_of(how(cls))
    return action

attempt("JsException(name, message)", make(lambda cls: cls("Error", "x")))
attempt("JsException._new_exc", make(lambda cls: cls._new_exc("Error", "x")))
attempt("JsException.new", make(lambda cls: cls.new("Error", "x")))
attempt("object.__new__ on JsException", make(lambda cls: object.__new__(cls)))
attempt("BaseException.__new__ on JsException", make(lambda cls: BaseException.__new__(cls, "Error", "x")))

def originals():
    # The constructor functions themselves, wherever the collector still lists them.
    cls = js_exception_classes()[0]
    funcs = [o for o in gc.get_objects() if type(o).__name__ == "function"
             and getattr(o, "__qualname__", "").startswith("JsException.")]
    if not funcs:
        raise LookupError("no JsException function left to call")
    for f in funcs:
        try:
            return constructor_of(f(cls, "Error", "x"))
        except TypeError:
            continue
    raise PermissionError("every JsException function refused")
attempt("JsException's own functions, found by gc", originals)

def unpickle():
    cls = js_exception_classes()[0]
    return constructor_of(pickle.loads(pickle.dumps(cls.__new__)))
attempt("a JsException through pickle", unpickle)
def converter():
    # Pyodide's JavaScript->Python converters run JavaScript on the arguments they are given.
    core = sys.modules["_pyodide_core"]
    return core.js2py_deep.js2py_convert([1, 2], None, None)
attempt("a JavaScript->Python converter left in _pyodide_core", converter)
print("done")
