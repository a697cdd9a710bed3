# Attack 54: write into the interpreter's memory through fcntl, and take the tracer's channel.
# CPython hands fcntl's third argument on as a number when it is one, and Emscripten's fcntl
# takes it for an address for the locking commands: fcntl(fd, F_GETLK, n) wrote a 16-bit 2 at
# address n. A fifth attacker changed an immutable bytes object with one call, and with a few
# more forged a bytearray over all of memory and reached a JavaScript Function from the CLI.
# Then: put a file of its own where the tracer's trace device was (os.dup2), so that the
# tracer's chunks went there and only a forged one reached the host.
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
import fcntl
import os

target = b"ABCDEFGH"
f = open("/tmp/attack54.txt", "w")
fd = f.fileno()



class Address:
    """No int, so it passed a check for one; C then read it through __index__, as an address
    (a reviewer's)."""

    def __index__(self):
        return id(target) + 16


for name, call in (
    ("fcntl F_GETLK with an address", lambda: fcntl.fcntl(fd, fcntl.F_GETLK, id(target) + 16)),
    ("fcntl F_SETLK with an address", lambda: fcntl.fcntl(fd, fcntl.F_SETLK, id(target) + 16)),
    ("fcntl F_GETLK with no argument (address 0)", lambda: fcntl.fcntl(fd, fcntl.F_GETLK)),
    ("fcntl F_GETLK with an int subclass", lambda: fcntl.fcntl(fd, fcntl.F_GETLK, type("N", (int,), {})(id(target) + 16))),
    ("ioctl TCGETS with an address", lambda: fcntl.ioctl(fd, 0x5401, id(target) + 16)),
    ("ioctl with no argument", lambda: fcntl.ioctl(fd, 0x5413)),
    ("fcntl F_GETLK with an object whose __index__ gives an address", lambda: fcntl.fcntl(fd, fcntl.F_GETLK, Address())),
    ("ioctl TCGETS with an object whose __index__ gives an address", lambda: fcntl.ioctl(fd, 0x5401, Address())),
):
    try:
        call()
    except RuntimeError:
        print("blocked:", name)
    except OSError as error:
        print("blocked:", name, f"(OSError {error.errno})")
if target != b"ABCDEFGH":
    print("ESCAPED: an immutable bytes object was changed:", target)

# What takes a number still works: the descriptor's flags, a duplicate; a lock with a buffer.
print("flags:", fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY)
print("a duplicate:", fcntl.fcntl(fd, fcntl.F_DUPFD, 10) >= 10)

# The tracer's channel: whatever the program puts at its descriptors, its chunks reach the host.
sink = os.open("/tmp/attack54-sink", os.O_WRONLY | os.O_CREAT)
for number in range(1000, 1004):
    os.dup2(sink, number)
print("after the swap: the tracer's chunks still reach the host")
