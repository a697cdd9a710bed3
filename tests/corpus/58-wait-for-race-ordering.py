import asyncio

log = []


async def chatter(name, n, delay):
    for i in range(n):
        log.append(f"{name}{i}")
        await asyncio.sleep(delay)


async def main():
    bg = asyncio.create_task(chatter("bg", 6, 0.3))
    try:
        fg = asyncio.create_task(chatter("fg", 10, 0.25))
        await asyncio.wait_for(fg, timeout=1.1)
    except asyncio.TimeoutError:
        log.append("timeout")
    await bg
    print(" ".join(log))


asyncio.run(main())
