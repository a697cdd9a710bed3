import asyncio


async def check(value):
    await asyncio.sleep(0.1)
    if value < 0:
        raise ValueError(f"negative value: {value}")
    return value


loop = asyncio.new_event_loop()
print(loop.run_until_complete(check(5)))
try:
    print(loop.run_until_complete(check(-1)))
finally:
    loop.close()
    print("loop closed in finally")
