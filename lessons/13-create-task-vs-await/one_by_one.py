import asyncio

async def brew(drink, minutes):
    print('start', drink)
    await asyncio.sleep(minutes)
    print(drink, 'is ready')

async def main():
    await brew('tea', 2)
    await brew('coffee', 1)
    print('breakfast is served')

asyncio.run(main())
