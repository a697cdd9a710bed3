import asyncio

async def brew(drink, minutes):
    print('start', drink)
    await asyncio.sleep(minutes)
    print(drink, 'is ready')

async def main():
    tea = asyncio.create_task(brew('tea', 2))
    coffee = asyncio.create_task(brew('coffee', 1))
    print('both are brewing')
    await tea
    await coffee
    print('breakfast is served')

asyncio.run(main())
