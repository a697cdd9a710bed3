# Attack: writing a forged trace chunk whose output stream is markup, to take over the page
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import json, os

def forge():
    events = [["out", '<meta http-equiv="refresh" content="0;url=https://example.com/"><style>body{display:none}</style>', "x"]]
    body = json.dumps(events).encode()
    frame = len(body).to_bytes(4, "little") + (0).to_bytes(4, "little") + body
    fd = os.open("/dev/looplab-trace", os.O_WRONLY)
    os.write(fd, frame)
    return "written"
attempt("a chunk with markup for a stream name", forge)

def garbage():
    fd = os.open("/dev/looplab-trace", os.O_WRONLY)
    os.write(fd, b"\xff" * 64)
    return "written"
attempt("garbage on the trace channel", garbage)
print("still running")
