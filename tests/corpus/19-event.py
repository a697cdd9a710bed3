import asyncio


async def waiter(name, event):
    print(name, "waiting")
    await event.wait()
    print(name, "woke up")


async def setter(event):
    await asyncio.sleep(1)
    print("setting the event")
    event.set()


async def main():
    event = asyncio.Event()
    await asyncio.gather(waiter("w1", event), waiter("w2", event), setter(event))
    print("is_set:", event.is_set())
    event.clear()
    print("after clear:", event.is_set())
    try:
        await asyncio.wait_for(event.wait(), 0.2)
    except asyncio.TimeoutError:
        print("nobody set it again")


asyncio.run(main())
