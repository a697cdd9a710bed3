import asyncio

events = []


async def job(name, delay):
    await asyncio.sleep(delay)
    events.append(f"{name} body done")
    return name


async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(job("t", 0.1))
    t.add_done_callback(lambda f: events.append("callback 1"))
    t.add_done_callback(lambda f: events.append("callback 2"))
    removed = t.remove_done_callback(print)
    loop.call_soon(events.append, "call_soon before wait")
    await t
    events.append("main resumed")
    await asyncio.sleep(0)
    fut = loop.create_future()
    fut.add_done_callback(lambda f: events.append("future callback"))
    loop.call_soon(events.append, "soon A")
    fut.set_result(None)
    loop.call_soon(events.append, "soon B")
    await asyncio.sleep(0)
    print("removed:", removed)
    for e in events:
        print(e)


asyncio.run(main())
