import asyncio

calls = 0


async def fib(n):
    global calls
    calls += 1
    if n < 2:
        return n
    if n % 4 == 0:
        await asyncio.sleep(0)
    a, b = await asyncio.gather(fib(n - 1), fib(n - 2))
    return a + b


async def main():
    print("fib(12) =", await fib(12))
    print("calls:", calls)


asyncio.run(main())
