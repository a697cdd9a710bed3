# Attack: os.system, fork and exec
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import os
def system():
    status = os.system("id > /tmp/looplab-attack-id.txt")
    if status != 0:
        raise OSError(f"os.system returned {status}")
    return status
attempt("os.system('id')", system)
attempt("os.fork()", lambda: os.fork())
attempt("os.execv('/bin/sh')", lambda: os.execv("/bin/sh", ["sh", "-c", "id"]))
attempt("os.posix_spawn", lambda: os.posix_spawn("/bin/sh", ["sh"], {}))
