# Waits on asyncio primitives from inside async generators and awaitables of the program's own:
# an @asynccontextmanager that takes a Lock, an `async for` over a generator that waits on an
# Event, anext() on one that waits on a Queue, and a class whose __await__ hands over an
# Event's wait. Who gets the Lock when, and what each one hands out.
import asyncio
from contextlib import asynccontextmanager

log = []


@asynccontextmanager
async def guarded(lock, name):
    async with lock:
        log.append(f"{name} holds the lock")
        yield name
    log.append(f"{name} let go")


async def on_event(event, times):
    for i in range(times):
        await event.wait()
        event.clear()
        yield i


async def from_queue(queue):
    while True:
        item = await queue.get()
        if item is None:
            return
        yield item * 10


class Gate:
    def __init__(self):
        self.opened = asyncio.Event()

    def __await__(self):
        return self.opened.wait().__await__()


async def through_gate(gate):
    await gate
    log.append("through the gate")


async def holder(lock):
    async with guarded(lock, "holder"):
        await asyncio.sleep(0.15)


async def late(lock):
    async with guarded(lock, "late") as name:
        log.append(f"{name} is in")


async def counter(event):
    async for i in on_event(event, 2):
        log.append(f"event number {i}")


async def taker(queue):
    items = from_queue(queue)
    log.append(f"first from the queue: {await anext(items)}")
    log.append(f"second from the queue: {await anext(items)}")
    log.append(f"then: {await anext(items, 'nothing')}")


async def main():
    lock, event, queue, gate = asyncio.Lock(), asyncio.Event(), asyncio.Queue(), Gate()
    tasks = [asyncio.create_task(holder(lock))]
    await asyncio.sleep(0)
    tasks += [asyncio.create_task(late(lock)), asyncio.create_task(counter(event)), asyncio.create_task(taker(queue))]
    tasks.append(asyncio.create_task(through_gate(gate)))
    for step in range(2):
        await asyncio.sleep(0.1)
        event.set()
        queue.put_nowait(step + 1)
    await asyncio.sleep(0.1)
    queue.put_nowait(None)
    gate.opened.set()
    await asyncio.gather(*tasks)
    print("\n".join(log))


asyncio.run(main())
