import asyncio


async def slow_answer():
    print("thinking...")
    await asyncio.sleep(5)
    return 42


async def main():
    try:
        answer = await asyncio.wait_for(slow_answer(), timeout=1)
        print("answer:", answer)
    except TimeoutError:
        print("gave up after 1 second")


asyncio.run(main())
