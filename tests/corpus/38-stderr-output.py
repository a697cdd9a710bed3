import asyncio
import sys


async def main():
    print("to stdout 1")
    print("to stderr 1", file=sys.stderr)
    await asyncio.sleep(0.1)
    sys.stdout.write("to stdout 2\n")
    sys.stderr.write("warning: something odd\n")
    print("stdout", "parts", sep="-", end="!\n")


asyncio.run(main())
