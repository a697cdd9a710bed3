import asyncio
import time


async def handle(reader, writer):
    job = (await reader.readline()).decode().strip()
    await asyncio.sleep(0.3)  # each request takes the server 0.3 s
    writer.write(f"{job}: done\n".encode())
    await writer.drain()
    writer.close()


async def fetch(limit, job, start):
    async with limit:  # at most two connections at a time
        print(f"{time.monotonic() - start:.1f} s: {job} connects")
        reader, writer = await asyncio.open_connection("127.0.0.1", 8051)
        writer.write(f"{job}\n".encode())
        reply = await reader.readline()
        writer.close()
    print(f"{time.monotonic() - start:.1f} s: {reply.decode().strip()}")


async def main():
    limit = asyncio.Semaphore(2)
    server = await asyncio.start_server(handle, "127.0.0.1", 8051)
    async with server:
        start = time.monotonic()
        await asyncio.gather(*(fetch(limit, f"job {n}", start) for n in range(5)))
        print(f"five jobs, two at a time: {time.monotonic() - start:.1f} s")


asyncio.run(main())
