# import the module
import asyncio

# define asynchronous tasks
async def task1():
    # prints even numbers from 0 to 9
    for i in range(10):
        if i % 2 == 0:
            print(i)
            await asyncio.sleep(0.0001)  # cause a small delay

async def task2():
    # prints odd numbers from 0 to 9
    for i in range(10):
        if i % 2 == 1:
            print(i)
            await asyncio.sleep(0.0001)  # cause a small delay

async def main():
    print('Started:')
    await asyncio.gather(task1(), task2())
    print('Finished!')

asyncio.run(main())
