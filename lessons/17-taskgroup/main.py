import asyncio

async def fetch(name, seconds):
    print(name, 'starts')
    await asyncio.sleep(seconds)
    print(name, 'arrives')
    return name.upper()

async def main():
    async with asyncio.TaskGroup() as tg:
        apple = tg.create_task(fetch('apple', 2))
        pear = tg.create_task(fetch('pear', 1))
        print('both fetches are started')
    print('results:', apple.result(), pear.result())

asyncio.run(main())
