# An awaitable of the program's own that names one of its coroutine functions' code and a
# frame of code it compiled itself, thousands of lines down: awaited, it works as any other.
import asyncio
import sys

far = {"sys": sys}
exec("\n" * 5000 + "frame = sys._getframe()", far)


async def real():
    pass


class Awaitable:
    cr_code = real.__code__
    cr_frame = far["frame"]

    def __init__(self):
        self.yielded = False

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        if not self.yielded:
            self.yielded = True
            return None  # a bare yield: the task goes round the loop once
        raise StopIteration(42)


async def main():
    print("got", await Awaitable())


asyncio.run(main())
