# A TaskGroup of clients: each waits for its own answer; the group waits for them all.
import asyncio
import time


async def answer(reader, writer):
    n = int(await reader.readline())
    await asyncio.sleep(0.1 * n)
    writer.write(f"{n * n}\n".encode())
    await writer.drain()
    writer.close()


async def square(n):
    reader, writer = await asyncio.open_connection("127.0.0.1", 8910)
    writer.write(f"{n}\n".encode())
    result = int(await reader.readline())
    writer.close()
    await writer.wait_closed()
    print(f"{n} squared is {result}")
    return result


async def main():
    server = await asyncio.start_server(answer, "127.0.0.1", 8910)
    async with server:
        start = time.monotonic()
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(square(n)) for n in (3, 1, 4, 2)]
        print("results in order:", [t.result() for t in tasks])
        print(f"took {time.monotonic() - start:.1f} s")


asyncio.run(main())
