# Oracle: plain Pyodide (CPython 3.14): eager task factories are new in Python 3.12.
# Tasks made by asyncio.eager_task_factory are named, counted and typed as create_task's:
# one that finishes in its first step, one that sleeps after it, through create_task,
# loop.create_task, ensure_future and gather; then back to the default factory.
import asyncio


async def quick(n):
    print("quick", n, "runs in", asyncio.current_task().get_name())
    return n * 10


async def sleepy(n):
    print("sleepy", n, "starts in", asyncio.current_task().get_name())
    await asyncio.sleep(0.1 * n)
    print("sleepy", n, "wakes")
    return n


async def main():
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    t = asyncio.create_task(quick(1))
    print(t.get_name(), isinstance(t, asyncio.Task), t.done(), t.result())
    s = asyncio.create_task(sleepy(2))
    print(s.get_name(), s.done())
    u = loop.create_task(quick(3), name="third")
    print(u.get_name(), u.done(), u.result())
    f = asyncio.ensure_future(sleepy(4))
    print(f.get_name(), f.done())
    print("gather:", await asyncio.gather(quick(5), sleepy(6)))
    print("awaited:", await s, await f)
    print("tasks left:", len(asyncio.all_tasks()))
    loop.set_task_factory(None)
    v = asyncio.create_task(quick(7))
    print(v.get_name(), v.done())
    print("last:", await v)


asyncio.run(main())
