# Attack: writing to host paths
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import os
def write():
    with open("/tmp/looplab-attack-marker.txt", "w") as f:
        f.write("escaped")
    # The write lands in the interpreter's own in-memory file system, never on the host:
    # the test checks the host's /tmp for this marker.
    return "wrote to the virtual /tmp"
try:
    print("virtual:", write())
except OSError as error:
    print(f"blocked: write /tmp: {type(error).__name__}")
attempt("write /work/main/package.json", lambda: open("/work/main/package.json", "w").write("{}"))
