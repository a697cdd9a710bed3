import asyncio

async def baker(queue):
    for cake in ['apple pie', 'brownie', 'cupcake', 'donut']:
        await queue.put(cake)
        print('baker put', cake, 'on the shelf')
    print('baker is done')

async def customer(name, queue, minutes):
    while True:
        cake = await queue.get()
        print(name, 'takes', cake)
        await asyncio.sleep(minutes)
        print(name, 'finished', cake)
        queue.task_done()

async def main():
    shelf = asyncio.Queue(maxsize=2)
    customers = [
        asyncio.create_task(customer('Ada', shelf, 3), name='Ada'),
        asyncio.create_task(customer('Bob', shelf, 5), name='Bob'),
    ]
    await baker(shelf)
    await shelf.join()
    for c in customers:
        c.cancel()
    print('shop closed')

asyncio.run(main())
