# Attack: any JsProxy at all is a way in: the `js` module's entry in the import hook's table (a proxy of a prototype-less object) gives an Array from object_keys(), and from it Function, Object and Error
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import gc

gc.unfreeze()  # the start-up ends with gc.freeze(): frozen objects are listed only after this


def proxies_in_dicts():
    found = [value for obj in gc.get_objects() if type(obj) is dict
             for value in list(obj.values()) if type(value).__name__ == "JsProxy"]
    if not found:
        raise LookupError("no dict holds a JsProxy")
    return [repr(p)[:40] for p in found]


def js_table_entry():
    return next(o["js"] for o in gc.get_objects()
                if type(o) is dict and type(o.get("js")).__name__ == "JsProxy")


def array_from_object_keys():
    return js_table_entry().object_keys().constructor


def function_from_array():
    return array_from_object_keys().constructor


def finder_tables():
    found = [vars(o) for o in gc.get_objects() if type(o).__name__ in ("JsFinder", "JsLoader")]
    proxies = [v for table in found for inner in table.values() if isinstance(inner, dict)
               for v in inner.values() if type(v).__name__ == "JsProxy"]
    if not proxies:
        raise LookupError("the import hook's tables hold no JsProxy")
    return proxies


attempt("a dict anywhere that holds a JsProxy", proxies_in_dicts)
attempt("the `js` module in the import hook's table", js_table_entry)
attempt("an Array from a JsProxy's object_keys()", array_from_object_keys)
attempt("Function from that Array's constructor", function_from_array)
attempt("a JsProxy in a JsFinder's or JsLoader's tables", finder_tables)
