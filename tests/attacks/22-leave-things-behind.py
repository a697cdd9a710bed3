# Attack: leave things behind for the next program: patched builtins, patched asyncio, patched tracer, files, callbacks
# Each attempt prints "left: ..." when it left something; the program run after it in
# e2e/isolation.spec.ts checks that nothing of it is there (a fresh interpreter per run).
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"left: {label}: {result!r}"[:300])

import asyncio, builtins, os, sys

def patch_print():
    real = builtins.print
    builtins.print = lambda *a, **k: real("HIJACKED", *a, **k)
    return "patched builtins.print (the next program must not see it)"
attempt("patch print", patch_print)

def patch_sleep():
    async def never(*a, **k):
        raise RuntimeError("sleep hijacked")
    asyncio.sleep = never
    return "patched asyncio.sleep"
attempt("patch asyncio.sleep", patch_sleep)

def patch_tracer():
    for name, module in list(sys.modules.items()):
        if name.startswith("_looplab") and module is not None:
            for attr in ("run", "install", "Recorder", "Channel"):
                if hasattr(module, attr):
                    setattr(module, attr, None)
    return "patched the tracer's modules"
attempt("patch the tracer", patch_tracer)

def leave_file():
    with open("/tmp/looplab-left-behind.txt", "w") as f:
        f.write("left by an earlier program")
    return "wrote /tmp/looplab-left-behind.txt (the next program must not find it)"
attempt("leave a file", leave_file)

def leave_callbacks():
    loop = asyncio.new_event_loop()
    loop.call_later(0.01, print, "a callback after the run")
    asyncio.set_event_loop(loop)
    return "left a loop with a callback"
attempt("leave callbacks", leave_callbacks)
builtins.print("done leaving things")
