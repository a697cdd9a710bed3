import asyncio


async def count(label, n):
    for i in range(n):
        print(label, i)
        await asyncio.sleep(0.01)
    return label


loop = asyncio.new_event_loop()
print("running:", loop.is_running(), "closed:", loop.is_closed())
t1 = loop.create_task(count("a", 2), name="first")
t2 = loop.create_task(count("b", 3), name="second")
tasks = asyncio.all_tasks(loop=loop)
print("scheduled:", sorted(t.get_name() for t in tasks))
print("t1 done before running:", t1.done())
result = loop.run_until_complete(t2)
print("run_until_complete returned", result)
print("t1 done:", t1.done(), "result:", t1.result())
print("left:", len(asyncio.all_tasks(loop=loop)))
print("time > 0:", loop.time() > 0)
loop.close()
print("closed:", loop.is_closed())
try:
    loop.run_until_complete(count("c", 1))
except RuntimeError as exc:
    print("RuntimeError:", exc)
