import asyncio

state = {"ready": False, "polls": 0}


async def setter():
    await asyncio.sleep(0.35)
    state["ready"] = True
    print("state is ready")


async def poller():
    while not state["ready"]:
        state["polls"] += 1
        await asyncio.sleep(0.1)
    print("poller saw it after", state["polls"], "polls")


async def main():
    await asyncio.gather(poller(), setter())


asyncio.run(main())
