import asyncio

async def worker():
    try:
        for i in range(10):
            print('working', i)
            await asyncio.sleep(1)
    except asyncio.CancelledError:
        print('worker: cancelled, tidying up')
        raise

async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(2.5)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print('main: worker cancelled?', task.cancelled())

asyncio.run(main())
