import asyncio
import time

async def ticker():
    for i in range(3):
        print('tick', i)
        await asyncio.sleep(0.1)

async def sleepy():
    print('sleepy: time.sleep(0.5)')
    time.sleep(0.5)
    print('sleepy: awake')

async def main():
    await asyncio.gather(ticker(), sleepy())

asyncio.run(main())
