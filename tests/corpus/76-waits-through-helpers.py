# Oracle: plain Pyodide (CPython 3.14): since 3.12 wait_for runs a coroutine in the waiting task.
# Tasks that wait on asyncio's primitives through asyncio's own helper frames: async with on a
# Lock, a Semaphore and a Condition, Condition.wait_for, Queue.join, Barrier.wait, Event.wait
# inside wait_for (in time and too late), and asyncio.timeout around a Lock. The order they
# wake in, what they see, and the locks' own view of themselves (repr, locked(), vars()).
# Every wake-up is at least 0.1 s from any other, so the real-time oracle orders them alike.
import asyncio

log = []


async def holder(lock, sem, cond):
    async with lock, sem:
        log.append("holder has lock and sem")
        await asyncio.sleep(0.9)
    async with cond:
        cond.notify_all()
        log.append("holder notified")


async def needs_lock(lock):
    async with lock:
        log.append(f"needs_lock got it at {asyncio.get_running_loop().time() - t0:.1f}")


async def needs_sem(sem):
    async with sem:
        log.append("needs_sem got it")


async def on_condition(cond, flags):
    async with cond:
        await cond.wait_for(lambda: flags["ready"])
        log.append("on_condition saw ready")


async def joiner(queue):
    await queue.join()
    log.append("joiner: queue drained")


async def worker(queue):
    while True:
        item = await queue.get()
        await asyncio.sleep(0.3)
        log.append(f"worker did {item}")
        queue.task_done()


async def at_barrier(barrier, name):
    index = await barrier.wait()
    log.append(f"{name} passed the barrier ({index})")


async def event_in_wait_for(event, seconds):
    try:
        await asyncio.wait_for(event.wait(), seconds)
        log.append(f"event came within {seconds}")
    except TimeoutError:
        log.append(f"event did not come within {seconds}")


async def lock_in_timeout(lock):
    try:
        async with asyncio.timeout(0.2):
            async with lock:
                log.append("lock_in_timeout got it")
    except TimeoutError:
        log.append(f"lock_in_timeout gave up; lock still locked: {lock.locked()}")


async def main():
    global t0
    t0 = asyncio.get_running_loop().time()
    lock, sem, cond = asyncio.Lock(), asyncio.Semaphore(1), asyncio.Condition()
    event, queue, barrier = asyncio.Event(), asyncio.Queue(), asyncio.Barrier(2)
    flags = {"ready": False}
    for item in ("a", "b"):
        queue.put_nowait(item)
    first = asyncio.create_task(holder(lock, sem, cond))
    await asyncio.sleep(0)
    print("repr:", repr(lock).split(" object at ")[0], repr(lock).endswith("[locked]>"))
    print("locked:", lock.locked(), "vars:", sorted(vars(lock)))
    tasks = [
        asyncio.create_task(needs_lock(lock)),
        asyncio.create_task(needs_sem(sem)),
        asyncio.create_task(on_condition(cond, flags)),
        asyncio.create_task(joiner(queue)),
        asyncio.create_task(worker(queue)),
        asyncio.create_task(at_barrier(barrier, "first")),
        asyncio.create_task(event_in_wait_for(event, 0.1)),
        asyncio.create_task(event_in_wait_for(event, 1)),
        asyncio.create_task(lock_in_timeout(lock)),
    ]
    await asyncio.sleep(0.45)
    event.set()
    flags["ready"] = True
    await at_barrier(barrier, "main")
    await first
    await asyncio.gather(*(t for t in tasks if t is not tasks[4]))
    tasks[4].cancel()
    print("\n".join(log))
    print("unlocked:", lock.locked(), repr(lock).endswith("[unlocked]>"), sorted(vars(lock)))


asyncio.run(main())
