# An object held only by the frame that raised: CPython lets go of it after printing the
# traceback, and what its __del__ prints comes last. Its __del__ has lines of its own.
import asyncio


class Connection:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        closing = f"{self.name} closed"
        print(closing)


def connect():
    conn = Connection("db")
    raise ConnectionError("the server went away")


async def greet():
    print("connecting")


asyncio.run(greet())
connect()
