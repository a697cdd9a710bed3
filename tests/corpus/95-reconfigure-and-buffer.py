# sys.stdout.reconfigure() and sys.stdout.buffer, as programs use them: the common
# reconfigure(encoding="utf-8"), another error handler, bytes written to the buffer (a
# character cut between two writes, a byte that is not UTF-8), what each call returns and
# how each mistake is refused, then an encoding that cannot write "é". Line-buffered, so that
# python3 writing to a pipe keeps text and bytes in the order they were written, as a terminal
# does (Loop Lab's console shows every write at once).
import asyncio
import sys

sys.stdout.reconfigure(encoding="utf-8", line_buffering=True)
print("héllo", sys.stdout.encoding, sys.stdout.errors)
sys.stdout.reconfigure(errors="replace")
print("lone \ud800 surrogate", sys.stdout.errors)
sys.stdout.buffer.write(b"bytes \xc3\xa9\n")
sys.stdout.buffer.write(b"half \xc3")
sys.stdout.buffer.write(b"\xa9 joined\n")
sys.stdout.buffer.write(b"not utf-8: \xff\n")
sys.stdout.buffer.flush()
print(sys.stdout.buffer.write(bytearray(b"from a bytearray\n")))
print(sys.stdout.buffer.write(memoryview(b"from a memoryview\n")))
for call in (lambda: sys.stdout.buffer.write("text"),
             lambda: sys.stdout.reconfigure(encoding="klingon"),
             lambda: sys.stdout.reconfigure(newline="x"),
             lambda: sys.stdout.reconfigure(errors=3),
             lambda: sys.stdout.reconfigure(encoding=b"utf-8")):
    try:
        call()
    except (TypeError, LookupError, ValueError) as exc:
        print(type(exc).__name__, exc)
print(sys.stdout.encoding, sys.stdout.errors, sys.stdout.line_buffering)


async def main():
    sys.stdout.reconfigure(encoding="latin-1")
    print("latin-1:", "é")
    await asyncio.sleep(1)
    sys.stdout.reconfigure(encoding="ascii")
    print(sys.stdout.errors)
    print("ascii:", "é")


asyncio.run(main())
