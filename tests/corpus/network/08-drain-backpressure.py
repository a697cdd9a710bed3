# Backpressure: a fast writer and a slow reader. drain() makes the writer wait.
import asyncio
import time

TOTAL = 16 * 1024 * 1024
CHUNK = 1024 * 1024
done = {}


async def slow_reader(reader, writer):
    got = 0
    while got < TOTAL:
        data = await reader.readexactly(CHUNK)
        got += len(data)
        await asyncio.sleep(0.05)
    done["reader"] = time.monotonic()
    print("server read", got, "bytes")
    writer.close()


async def main():
    server = await asyncio.start_server(slow_reader, "127.0.0.1", 8908)
    async with server:
        reader, writer = await asyncio.open_connection("127.0.0.1", 8908)
        waited = 0
        for _ in range(TOTAL // CHUNK):
            writer.write(b"x" * CHUNK)
            before = time.monotonic()
            await writer.drain()
            if time.monotonic() - before > 0.01:
                waited += 1
        done["writer"] = time.monotonic()
        print("client wrote", TOTAL, "bytes")
        print("drain made the writer wait:", waited > 0)
        await reader.read()
        print("the writer finished before the reader:", done["writer"] < done["reader"])
        writer.close()
        await writer.wait_closed()


asyncio.run(main())
