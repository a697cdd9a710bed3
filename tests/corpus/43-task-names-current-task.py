import asyncio


async def show(label):
    task = asyncio.current_task()
    print(label, "runs in", task.get_name())
    await asyncio.sleep(0)
    task.set_name(label + "-renamed")
    return task.get_name()


async def main():
    print("main is", asyncio.current_task().get_name())
    t1 = asyncio.create_task(show("one"))
    t2 = asyncio.create_task(show("two"), name="custom")
    print("names before:", t1.get_name(), t2.get_name())
    print("results:", await t1, await t2)
    print("current_task outside a task:", asyncio.current_task() is asyncio.current_task())
    names = sorted(t.get_name() for t in asyncio.all_tasks())
    print("tasks alive:", names)


asyncio.run(main())
