# Attack: open() on host paths
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

attempt("read /etc/passwd", lambda: open("/etc/passwd").read()[:60])
attempt("read /etc/hostname", lambda: open("/etc/hostname").read())
attempt("read ~/.ssh/id_rsa", lambda: open("/root/.ssh/id_rsa").read())
attempt("read /proc/self/environ", lambda: open("/proc/self/environ").read())
import os
attempt("list /work", lambda: os.listdir("/work"))
