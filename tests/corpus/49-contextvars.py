import asyncio
import contextvars

request_id = contextvars.ContextVar("request_id", default="none")


async def handler(rid):
    request_id.set(rid)
    await asyncio.sleep(0.1 if rid == "r1" else 0.05)
    await log("handled")


async def log(message):
    print(f"[{request_id.get()}] {message}")


async def main():
    await log("main before")
    await asyncio.gather(handler("r1"), handler("r2"))
    await log("main after")
    request_id.set("main-set")
    task = asyncio.create_task(log("child sees a copy"))
    await task


asyncio.run(main())
