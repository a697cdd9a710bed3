# A server that is slow on purpose: the client's wait is the server's delay.
import asyncio
import time


async def slow(reader, writer):
    name = (await reader.readline()).decode().strip()
    await asyncio.sleep(0.3)  # pretend to look something up
    writer.write(f"hello, {name}\n".encode())
    await writer.drain()
    writer.close()


async def ask(name):
    start = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", 8904)
    writer.write(f"{name}\n".encode())
    answer = await reader.readline()
    writer.close()
    await writer.wait_closed()
    print(f"{answer.decode().strip()!r} after {time.monotonic() - start:.1f} s")


async def main():
    server = await asyncio.start_server(slow, "127.0.0.1", 8904)
    async with server:
        start = time.monotonic()
        await ask("one")
        await ask("two")
        print(f"one after the other: {time.monotonic() - start:.1f} s")
        start = time.monotonic()
        await asyncio.gather(ask("three"), ask("four"))
        print(f"both at once: {time.monotonic() - start:.1f} s")


asyncio.run(main())
