# Oracle: plain Pyodide (CPython 3.14): eager_start= is new in Python 3.14, eager factories in 3.12.
# Every other way to make a task: create_task(eager_start=True), asyncio.Task(...) called
# directly (eager or not), create_eager_task_factory with a Task subclass, a factory of the
# program's own, and TaskGroup.create_task under an eager factory (one child fails at once).
import asyncio


async def job(label, delay=0):
    me = asyncio.current_task()
    print(f"{label}: first step in {me.get_name()} ({type(me).__name__})")
    if delay:
        await asyncio.sleep(delay)
        print(f"{label}: woke at {asyncio.get_running_loop().time() - start:.1f}")
    return label


async def boom():
    print("boom: fails in its first step")
    raise ValueError("boom")


class LoggedTask(asyncio.Task):
    def __init__(self, coro, **kwargs):
        super().__init__(coro, **kwargs)
        print("LoggedTask made:", self.get_name())


made = []


def own_factory(loop, coro, **kwargs):
    task = asyncio.Task(coro, loop=loop, **kwargs)
    made.append(task.get_name())
    return task


async def main():
    global start
    loop = asyncio.get_running_loop()
    start = loop.time()
    a = asyncio.create_task(job("a", 0.2), eager_start=True)
    print("a made:", a.get_name(), a.done())
    b = asyncio.Task(job("b"), loop=loop, eager_start=True)
    print("b made:", b.get_name(), b.done(), b.result())
    c = asyncio.Task(job("c"), name="plain-c")
    print("c made:", c.get_name(), c.done())
    loop.set_task_factory(asyncio.create_eager_task_factory(LoggedTask))
    d = asyncio.create_task(job("d", 0.1))
    print("d made:", d.get_name(), d.done(), isinstance(d, LoggedTask))
    loop.set_task_factory(own_factory)
    e = asyncio.create_task(job("e"))
    print("e made:", e.get_name(), e.done(), made)
    loop.set_task_factory(asyncio.eager_task_factory)
    try:
        async with asyncio.TaskGroup() as tg:
            f = tg.create_task(job("f", 0.3))
            print("f made:", f.get_name(), f.done())
            g = tg.create_task(boom())
            print("g made:", g.get_name(), g.done())
    except* ValueError as group:
        print("TaskGroup raised:", [str(x) for x in group.exceptions], "f cancelled:", f.cancelled())
    print("results:", await a, await c, await d, await e)
    print("names:", sorted(t.get_name() for t in (a, b, c, d, e, f, g)))


asyncio.run(main())
