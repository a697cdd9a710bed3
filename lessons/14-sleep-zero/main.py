import asyncio

async def count(name):
    for i in range(3):
        print(name, i)
        await asyncio.sleep(0)

async def main():
    await asyncio.gather(count('ant'), count('bee'), count('cat'))

asyncio.run(main())
