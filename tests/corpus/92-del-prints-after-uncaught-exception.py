# An object whose __del__ prints: CPython prints the traceback of the uncaught exception
# first, then, as the program's objects are dropped at exit, what the __del__ prints.
import asyncio


class Connection:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print(f"{self.name} closed")


async def fetch():
    await asyncio.sleep(0.1)
    raise ConnectionError("the server went away")


async def main():
    print("fetching")
    await fetch()


conn = Connection("db")
asyncio.run(main())
