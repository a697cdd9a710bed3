# A Semaphore lets at most two clients talk to the server at once.
import asyncio
import time

busy = 0
most = 0


async def work(reader, writer):
    global busy, most
    busy += 1
    most = max(most, busy)
    job = (await reader.readline()).decode().strip()
    await asyncio.sleep(0.1)
    writer.write(f"{job} done\n".encode())
    await writer.drain()
    busy -= 1
    writer.close()


async def client(gate, job):
    async with gate:
        reader, writer = await asyncio.open_connection("127.0.0.1", 8909)
        writer.write(f"{job}\n".encode())
        reply = (await reader.readline()).decode().strip()
        writer.close()
        await writer.wait_closed()
    print(reply)


async def main():
    gate = asyncio.Semaphore(2)
    server = await asyncio.start_server(work, "127.0.0.1", 8909)
    async with server:
        start = time.monotonic()
        await asyncio.gather(*(client(gate, f"job {n}") for n in range(6)))
        print(f"six jobs, two at a time: {time.monotonic() - start:.1f} s")
    print("most connections at once:", most)


asyncio.run(main())
