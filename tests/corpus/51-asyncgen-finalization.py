import asyncio


async def numbers(name):
    try:
        for i in range(100):
            yield i
            await asyncio.sleep(0)
    finally:
        print(name, "finalized")


async def main():
    gen = numbers("explicit")
    async for n in gen:
        if n == 2:
            break
    await gen.aclose()
    print("after explicit aclose")
    gen2 = numbers("left open")
    async for n in gen2:
        if n == 1:
            break
    print("main returns with an open generator")


asyncio.run(main())
print("after run")
