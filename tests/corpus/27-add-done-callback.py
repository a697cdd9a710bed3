import asyncio


def report(task):
    if task.cancelled():
        print(f"callback: {task.get_name()} cancelled")
    elif task.exception() is not None:
        print(f"callback: {task.get_name()} raised {task.exception()!r}")
    else:
        print(f"callback: {task.get_name()} returned {task.result()!r}")


async def work(value, fail=False):
    await asyncio.sleep(0.1)
    if fail:
        raise LookupError(value)
    return value


async def main():
    t1 = asyncio.create_task(work(42), name="good")
    t2 = asyncio.create_task(work("missing", fail=True), name="bad")
    t3 = asyncio.create_task(work(0), name="doomed")
    for t in (t1, t2, t3):
        t.add_done_callback(report)
    t3.cancel()
    await asyncio.wait([t1, t2, t3])
    print("main: all three done")
    fut = asyncio.get_running_loop().create_future()
    fut.add_done_callback(lambda f: print("future callback got", f.result()))
    fut.set_result("hello")
    await asyncio.sleep(0)
    print("end")


asyncio.run(main())
