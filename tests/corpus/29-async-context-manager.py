import asyncio
import contextlib


class Connection:
    def __init__(self, name):
        self.name = name

    async def __aenter__(self):
        await asyncio.sleep(0.1)
        print(f"open {self.name}")
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await asyncio.sleep(0.1)
        print(f"close {self.name} (exception: {exc_type.__name__ if exc_type else None})")
        return exc_type is KeyError


@contextlib.asynccontextmanager
async def transaction(label):
    print("begin", label)
    try:
        yield label.upper()
        print("commit", label)
    except Exception as exc:
        print("rollback", label, "because", exc)
        raise
    finally:
        print("end", label)


async def main():
    async with Connection("db") as conn:
        print("using", conn.name)
    async with Connection("cache"):
        raise KeyError("suppressed")
    print("KeyError was suppressed")
    async with transaction("t1") as t:
        print("inside", t)
    try:
        async with transaction("t2"):
            raise ValueError("oops")
    except ValueError:
        print("ValueError reached main")
    async with contextlib.AsyncExitStack() as stack:
        for name in ("x", "y"):
            await stack.enter_async_context(Connection(name))
        print("stack entered")


asyncio.run(main())
