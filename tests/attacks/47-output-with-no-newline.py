# Attack 47: crash the host with output the tracer does not record. Bytes written to file
# descriptors 1 and 2 directly (os.write), or to /dev/tty, went to Pyodide's line-batched
# handlers and Emscripten's terminal, which keep every byte of an unfinished line in a
# JavaScript array. 112 MB with no newline made V8 end the whole process (the CLI, the tests'
# host, a browser tab), not just the worker; no memory cap counted it.
# Expected: each write is dropped as it comes (or refused), and the run ends normally.
import os

CHUNK = b"x" * 2**20
MEGABYTES = 128

for target in ("fd 1", "fd 2", "/dev/tty"):
    try:
        fd = os.open(target, os.O_WRONLY) if target.startswith("/") else int(target[3:])
        for _ in range(MEGABYTES):
            os.write(fd, CHUNK)
        print(f"blocked: {MEGABYTES} MB to {target} with no newline, dropped as they came")
    except OSError as error:
        print(f"blocked: {target} cannot be written ({type(error).__name__})")
print("the host is still here")
