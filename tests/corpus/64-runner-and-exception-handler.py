import asyncio


def handler(loop, context):
    exc = context.get("exception")
    print("handler:", context["message"].split(" at ")[0], "|", type(exc).__name__, exc)


async def failing():
    await asyncio.sleep(0.1)
    raise IndexError("out of range")


async def first():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    loop.call_soon(lambda: 1 / 0)
    await asyncio.sleep(0.2)
    return "first"


async def second():
    return "second"


with asyncio.Runner() as runner:
    print(runner.run(first()))
    print(runner.run(second()))
    print("same loop:", runner.get_loop() is runner.get_loop())
