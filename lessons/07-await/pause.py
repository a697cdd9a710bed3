import asyncio

async def greet(name):
    print('Hello ' + name)
    await asyncio.sleep(1)
    print('Goodbye ' + name)

async def main():
    await greet('John')
    print('main is done')

asyncio.run(main())
