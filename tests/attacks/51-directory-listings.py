# Attack 51: make Emscripten's JavaScript hold what the memory cap does not count through
# directory listings. Each directory stream keeps a copy of its folder's names from its first
# read until it is closed (getdents64). A fresh attacker held 1,000 listings of a 20,000-name
# folder open: 378 MB the cap never counted; 4,000 of them ended the worker ("JS heap out of
# memory") where a browser's worker has no such limit. A second attacker kept listings alive
# uncounted in duplicated file descriptors (the first close gave the count back: 2,800 held,
# 0 MB counted, the worker ended), and found a listing dropped by a rewind (os.listdir(fd)
# rewinds before it closes) never given back: a correct program was refused after 725.
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


def duplicated_listings():
    before = memory()
    copies = []
    for _ in range(100):
        probe = os.open("/", os.O_RDONLY)
        os.close(probe)  # the descriptor the listing's stream gets next
        listing = os.scandir("many")
        next(listing)
        copies.append(os.dup(probe))  # a copy of the stream, holding the same listing
        listing.close()
    held = memory() - before
    for fd in copies:
        os.close(fd)
    left = memory() - before
    if held < 30 * 2**20:
        return f"ESCAPED: 100 listings held through duplicated descriptors, {held // 2**20} MB counted"
    if left > 2**20:
        return f"ESCAPED: 100 duplicated listings closed left {left // 2**20} MB counted"
    return f"blocked: 100 listings held through duplicated descriptors count {held // 2**20} MB, given back when closed"


def rewound_listings():
    before = memory()
    fd = os.open("many", os.O_RDONLY)
    try:
        for _ in range(50):
            assert len(os.listdir(fd)) == NAMES  # rewinds the stream, then reads it again
    finally:
        os.close(fd)
    grew = memory() - before
    if grew < 2**20:
        return f"blocked: 50 listings of one descriptor, each rewound, give their count back ({grew // 1024} KB left)"
    return f"ESCAPED: 50 rewound listings left {grew // 2**20} MB counted"


for label, action in (("open listings", hold_listings), ("closed listings", listed_and_closed),
                      ("duplicated listings", duplicated_listings), ("rewound listings", rewound_listings)):
    try:
        print(action()[:300])
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}: {error}"[:200])
