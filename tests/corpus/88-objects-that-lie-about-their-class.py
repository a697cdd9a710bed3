# Objects whose class says something else (a __class__ property that prints, or claims to be an
# asyncio.Task or a Queue), and classes whose metaclass prints when compared or hashed, held in
# a task's locals across awaits and returned as its result. python3 reads none of that to run
# the program, so nothing of it prints; the board must not read it either.
import asyncio


class Pretender:
    @property
    def __class__(self):
        print("Pretender.__class__ was read")
        return asyncio.Task


class QueueLookalike:
    @property
    def __class__(self):
        print("QueueLookalike.__class__ was read")
        return asyncio.Queue


class Loud(type):
    def __eq__(cls, other):
        print("Loud.__eq__ ran")
        return False

    def __hash__(cls):
        print("Loud.__hash__ ran")
        return 7


class Plain(metaclass=Loud):
    pass


async def hold(n):
    pretender = Pretender()
    lookalike = QueueLookalike()
    plain = Plain()
    classes = [Plain, Pretender]
    for step in range(n):
        await asyncio.sleep(0.1)
    return pretender


async def main():
    results = await asyncio.gather(hold(2), hold(3))
    print(len(results), type(results[0]).__name__)
    print(isinstance(results[0], asyncio.Task))


asyncio.run(main())
