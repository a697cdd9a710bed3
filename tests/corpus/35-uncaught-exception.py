import asyncio


async def parse(text):
    await asyncio.sleep(0.1)
    return int(text)


async def main():
    print("parsing 12:", await parse("12"))
    print("parsing twelve:")
    value = await parse("twelve")
    print("not reached", value)


asyncio.run(main())
