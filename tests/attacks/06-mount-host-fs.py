# Attack: mounting the host file system (NODEFS)
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import sys
def find_fs():
    for name, module in list(sys.modules.items()):
        for attr in ("FS", "_module"):
            candidate = getattr(module, attr, None)
            if candidate is not None and hasattr(candidate, "mount"):
                return candidate
    raise LookupError("no FS object reachable")
attempt("find an FS object", find_fs)
def mount():
    fs = find_fs()
    fs.mkdirTree("/host")
    fs.mount(fs.filesystems.NODEFS, {"root": "/"}, "/host")
    return open("/host/etc/hostname").read()
attempt("mount NODEFS at /host", mount)
