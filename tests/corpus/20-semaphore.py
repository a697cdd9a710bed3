import asyncio

active = 0
peak = 0


async def download(n, sem):
    global active, peak
    async with sem:
        active += 1
        peak = max(peak, active)
        print(f"start {n} (active={active})")
        await asyncio.sleep(0.1 * (n % 3 + 1))
        active -= 1
        print(f"end {n}")


async def main():
    sem = asyncio.Semaphore(2)
    await asyncio.gather(*(download(n, sem) for n in range(6)))
    print("peak concurrency:", peak)
    bounded = asyncio.BoundedSemaphore(1)
    async with bounded:
        pass
    try:
        bounded.release()
    except ValueError as exc:
        print("ValueError:", exc)


asyncio.run(main())
