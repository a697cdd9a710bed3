# Attack 48: hold memory in the worker's file system where the memory cap did not count it:
# files deleted while still open, long names and link targets, and a pipe nobody reads. Each
# kept its bytes in JavaScript beside the cap (a fresh attacker held 2.5 GB, 1.2 GB and 1 GB).
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
import os

MB = 2**20


def memory():
    """What the worker counts toward the cap, in MB (the tracer reads the same device)."""
    fd = os.open("/dev/looplab-memory", os.O_RDONLY)
    try:
        return int(os.read(fd, 64)) // MB
    finally:
        os.close(fd)


def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}: {error}"[:200])
    else:
        print(result[:300])


def deleted_but_open():
    block = b"x" * (16 * MB)
    held = []
    for i in range(40):  # 2.5 GB if nothing counts it
        f = open(f"/tmp/held{i}.bin", "wb", buffering=0)
        for _ in range(4):
            f.write(block)
        os.unlink(f"/tmp/held{i}.bin")
        held.append(f)
    return f"ESCAPED: deleted but open: {64 * len(held)} MB held, {memory()} MB counted"


attempt("deleted but open", deleted_but_open)


def counted_until_closed():
    data = b"y" * (64 * MB)  # made first: the interpreter's own memory never shrinks
    before = memory()
    f = open("/tmp/counted.bin", "wb", buffering=0)
    f.write(data)
    os.unlink("/tmp/counted.bin")
    while_open = memory()
    f.close()
    after = memory()
    if while_open - before >= 64 and after - before < 8:
        return f"blocked: a deleted file open counts until its last close ({while_open - before} MB, then {after - before})"
    return f"ESCAPED: a deleted open file counted {while_open - before} MB, then {after - before} MB"


attempt("counted until closed", counted_until_closed)


def long_link_targets():
    target = "/" + "y" * (4 * MB)
    for i in range(300):  # 1.2 GB if nothing counts it
        os.symlink(target, f"/tmp/link{i}")
    return f"ESCAPED: 300 links of 4 MB targets, {memory()} MB counted"


attempt("long link targets", long_link_targets)


def long_names():
    os.open("/tmp/" + "n" * 300, os.O_CREAT | os.O_WRONLY)
    return "ESCAPED: a name of 300 bytes was made"


attempt("long names", long_names)


def full_pipe():
    reader, writer = os.pipe()
    block = b"p" * MB
    written = 0
    for _ in range(1024):  # 1 GB if nothing bounds it
        written += os.write(writer, block)
    return f"ESCAPED: {written // MB} MB held in a pipe nobody reads"


attempt("full pipe", full_pipe)


def give_back_what_was_never_counted():
    before = memory()
    zips = [name for name in os.listdir("/lib") if name.endswith(".zip")]
    for name in zips:
        os.unlink(f"/lib/{name}")
    after = memory()
    if after < before:
        return f"ESCAPED: deleting {zips} gave back {before - after} MB never counted"
    return f"blocked: deleting {zips} gave back nothing ({before} MB, then {after})"


attempt("give back the uncounted", give_back_what_was_never_counted)
