import asyncio


async def ok(name, delay):
    try:
        await asyncio.sleep(delay)
        print(name, "finished")
    except asyncio.CancelledError:
        print(name, "was cancelled")
        raise


async def fail(delay, exc):
    await asyncio.sleep(delay)
    raise exc


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(ok("quick", 0.05))
            tg.create_task(fail(0.1, ValueError("bad value")))
            tg.create_task(ok("slow", 1))
    except* ValueError as group:
        print("except* ValueError:", repr(group.exceptions))
        print("group message:", group)
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail(0.1, KeyError("k")))
            tg.create_task(fail(0.1, TypeError("t")))
    except* KeyError as g:
        print("KeyError part:", [type(e).__name__ for e in g.exceptions])
    except* TypeError as g:
        print("TypeError part:", [type(e).__name__ for e in g.exceptions])


asyncio.run(main())
