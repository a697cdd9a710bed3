# Attack 49: make Emscripten's JavaScript keep what the memory cap does not count: host names
# in its name table (no network needed), and the nodes of pipes and sockets, which it never
# frees. A fresh attacker ended the whole host process with 40 names of 160 MB, and grew the
# worker by 3 GB with 3.8 million sockets made and closed, while the cap counted 30 MB. Then
# read standard input, which crashed the run.
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
import os
import socket

KB = 1024


def memory():
    """What the worker counts toward the cap, in bytes."""
    fd = os.open("/dev/looplab-memory", os.O_RDONLY)
    try:
        return int(os.read(fd, 64))
    finally:
        os.close(fd)


def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}: {error}"[:200])
    else:
        print(result[:300])


def long_names():
    # As bytes: a str would be refused by its IDNA encoding before it reached the table.
    addresses = {socket.gethostbyname(letter.encode() * (4 * KB * KB)) for letter in "abcdefgh"}
    if len(addresses) == 1:
        return "blocked: names past 253 bytes are kept nowhere (one address for all)"
    return f"ESCAPED: 8 names of 4 MB kept, {len(addresses)} addresses"


attempt("long names", long_names)


def closed_but_kept(kind, make, close, at_least):
    before = memory()
    for _ in range(1000):
        close(make())
    grew = memory() - before
    if grew >= 1000 * at_least:
        return f"blocked: 1,000 {kind} made and closed are counted ({grew // KB} KB)"
    return f"ESCAPED: 1,000 {kind} made and closed, {grew // KB} KB counted"


def close_pipe(ends):
    os.close(ends[0])
    os.close(ends[1])


# A pipe's two nodes stay after it is closed; its buffers go with its last end.
attempt("pipes", lambda: closed_but_kept("pipes", os.pipe, close_pipe, KB))


def open_pipes_hold_what_they_hold():
    before = memory()
    kept = []
    for _ in range(100):
        ends = os.pipe()
        os.write(ends[1], b"x" * (40 * KB))
        kept.append(ends)
    grew = memory() - before
    for ends in kept:
        close_pipe(ends)
    if grew >= 100 * 48 * KB:
        return f"blocked: 100 open pipes holding 40 KB each are counted ({grew // KB} KB)"
    return f"ESCAPED: 100 open pipes holding 40 KB each, {grew // KB} KB counted"


attempt("open pipes", open_pipes_hold_what_they_hold)
attempt("sockets", lambda: closed_but_kept("sockets", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM), socket.socket.close, KB))


def read_standard_input():
    with open("/dev/stdin", "rb") as stdin:
        data = stdin.read(100)
    if data == b"":
        return "blocked: standard input is at its end"
    return f"ESCAPED: standard input gave {data!r}"


attempt("standard input", read_standard_input)
