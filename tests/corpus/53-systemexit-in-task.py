import asyncio
import sys


async def quitter():
    await asyncio.sleep(0.2)
    print("quitter calls sys.exit('bye from a task')")
    sys.exit("bye from a task")


async def main():
    asyncio.create_task(quitter())
    for i in range(5):
        print("main tick", i)
        await asyncio.sleep(0.1)


asyncio.run(main())
