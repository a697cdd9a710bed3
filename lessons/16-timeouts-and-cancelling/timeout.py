import asyncio

async def slow_answer():
    print('thinking...')
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print('slow_answer: cancelled in the middle of its sleep')
        raise
    return 42

async def main():
    try:
        async with asyncio.timeout(1):
            answer = await slow_answer()
            print('the answer is', answer)
    except TimeoutError:
        print('main: gave up after 1 second')

asyncio.run(main())
