import asyncio

finished = []


async def worker(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise RuntimeError(f"{name} failed")
    finished.append(name)
    print(name, "finished")


async def main():
    try:
        await asyncio.gather(worker("a", 0.1), worker("b", 0.05, fail=True), worker("c", 0.2))
    except RuntimeError as exc:
        print("caught:", exc)
    print("finished so far:", finished)
    await asyncio.sleep(0.3)
    print("finished later:", finished)


asyncio.run(main())
