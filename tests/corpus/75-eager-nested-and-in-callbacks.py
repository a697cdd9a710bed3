# Oracle: plain Pyodide (CPython 3.14): eager tasks are new in Python 3.12, eager_start= in 3.14.
# An eager task that makes another eager task in its first step; one made by a plain callback
# (call_soon) and by a timer callback (call_later); one asked for on a loop that is not running
# yet (it waits its turn in the ready queue instead); all_tasks() and current_task() meanwhile.
import asyncio


async def inner(depth):
    print("inner", depth, "in", asyncio.current_task().get_name(), "tasks:", len(asyncio.all_tasks()))
    await asyncio.sleep(0.1)
    return depth


async def outer():
    print("outer starts in", asyncio.current_task().get_name())
    child = asyncio.create_task(inner(2))
    print("outer made", child.get_name(), "and goes on in", asyncio.current_task().get_name())
    return await child


def from_callback(loop, results):
    print("callback runs; current task:", asyncio.current_task())
    results.append(loop.create_task(inner("soon")))


async def main():
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    results = []
    top = asyncio.create_task(outer())
    print("main goes on; top done:", top.done())
    loop.call_soon(from_callback, loop, results)
    loop.call_later(0.05, from_callback, loop, results)
    await asyncio.sleep(0.2)
    print("results:", await top, [await t for t in results])


loop = asyncio.new_event_loop()
early = asyncio.Task(inner("early"), loop=loop, eager_start=True)
print("made before the loop runs:", early.get_name(), early.done())
loop.run_until_complete(main())
print("early:", early.result())
loop.close()
