import asyncio

async def task1():
    for i in range(10):
        if i % 2 == 0:
            print(i)

async def task2():
    for i in range(10):
        if i % 2 == 1:
            print(i)

async def main():
    print('Started:')
    await asyncio.gather(task1(), task2())
    print('Finished!')

asyncio.run(main())
