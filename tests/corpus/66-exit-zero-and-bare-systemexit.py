import asyncio
import sys


async def main():
    print("leaving with sys.exit(0) from inside a coroutine")
    sys.exit(0)


try:
    asyncio.run(main())
except SystemExit as exc:
    print("caught SystemExit with code", exc.code)
print("now raising bare SystemExit")
raise SystemExit
