# Attack 51: make Emscripten's JavaScript hold what the memory cap does not count through
# directory listings. Each directory stream keeps a copy of its folder's names from its first
# read until it is closed (getdents64). A fresh attacker held 1,000 listings of a 20,000-name
# folder open: 378 MB the cap never counted; 4,000 of them ended the worker ("JS heap out of
# memory") where a browser's worker has no such limit.
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
import os

NAMES = 20_000
LISTINGS = 4_000


def memory():
    """What the worker counts toward the cap, in bytes."""
    fd = os.open("/dev/looplab-memory", os.O_RDONLY)
    try:
        return int(os.read(fd, 64))
    finally:
        os.close(fd)


os.mkdir("many")
for i in range(NAMES):
    os.close(os.open(f"many/{i}", os.O_CREAT | os.O_WRONLY))


def hold_listings():
    before = memory()
    held = []
    try:
        for _ in range(LISTINGS):
            listing = os.scandir("many")
            next(listing)  # its first read: the names are copied now
            held.append(listing)
    except OSError as error:
        return f"blocked: listing {len(held) + 1} refused at the cap ({(memory() - before) // 2**20} MB counted): {error}"
    finally:
        for listing in held:
            listing.close()
    return f"ESCAPED: {LISTINGS} listings of {NAMES} names held, {(memory() - before) // 2**20} MB counted"


def listed_and_closed():
    before = memory()
    for _ in range(200):
        assert len(os.listdir("many")) == NAMES
    grew = memory() - before
    if grew < 2**20:
        return f"blocked: 200 listings made and closed give their count back ({grew // 1024} KB left)"
    return f"ESCAPED: 200 listings made and closed left {grew // 2**20} MB counted"


for label, action in (("open listings", hold_listings), ("closed listings", listed_and_closed)):
    try:
        print(action()[:300])
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}: {error}"[:200])
