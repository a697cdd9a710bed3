import asyncio

async def fetch(name, seconds):
    print(name, 'starts')
    await asyncio.sleep(seconds)
    print(name, 'arrives')
    return name.upper()

async def broken(seconds):
    await asyncio.sleep(seconds)
    raise ValueError('the pear is rotten')

async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            apple = tg.create_task(fetch('apple', 2))
            tg.create_task(broken(1))
    except* ValueError as group:
        print('caught:', group.exceptions)
    print('apple cancelled?', apple.cancelled())

asyncio.run(main())
