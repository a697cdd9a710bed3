# import the module
import asyncio

# define asynchronous tasks
async def print_nums():
    for n in range(5):
        print(n)
        await asyncio.sleep(0.0001)  # cause a small delay

async def print_letters():
    # prints the letters a to e
    for l in 'abcde':
        print(l)
        await asyncio.sleep(0.0001)  # cause a small delay
async def main():
    print('Started:')
    await asyncio.gather(print_nums(), print_letters())
    print('Finished!')

asyncio.run(main())
