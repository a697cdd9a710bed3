# Attack: fill the in-memory file system (outside the memory cap, it once kept gigabytes)
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

def fill():
    block = b"x" * (8 * 1024 * 1024)
    written = 0
    with open("/tmp/filler.bin", "wb") as f:
        for _ in range(200):  # 1.6 GB if nothing stops it
            f.write(block)
            written += len(block)
    return f"wrote {written // (1024 * 1024)} MB"
attempt("fill /tmp", fill)

def many_files():
    for i in range(400):
        with open(f"/tmp/f{i}.bin", "wb") as f:
            f.write(b"y" * (2 * 1024 * 1024))
    return "wrote 800 MB in 400 files"
attempt("many files", many_files)
