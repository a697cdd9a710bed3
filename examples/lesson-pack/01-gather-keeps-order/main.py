import asyncio


async def fetch(name, delay):
    print(f"{name}: start")
    await asyncio.sleep(delay)
    print(f"{name}: done after {delay} s")
    return name.upper()


async def main():
    results = await asyncio.gather(fetch('pear', 0.3), fetch('fig', 0.1), fetch('plum', 0.2))
    print(results)


asyncio.run(main())
