import asyncio
import sys


async def main():
    print("about to exit with 3")
    await asyncio.sleep(0.1)
    sys.exit(3)


try:
    asyncio.run(main())
finally:
    print("finally runs on the way out")
