# A line-based chat: every line a client sends goes to every client connected.
import asyncio

clients = []


async def serve(reader, writer):
    clients.append(writer)
    try:
        async for line in reader:
            for other in clients:
                other.write(line)
            await asyncio.gather(*(other.drain() for other in clients))
    finally:
        clients.remove(writer)
        writer.close()


async def member(name, delay, says):
    reader, writer = await asyncio.open_connection("127.0.0.1", 8902)
    await asyncio.sleep(delay)
    writer.write(f"{name}: {says}\n".encode())
    heard = []
    for _ in range(3):
        line = await reader.readline()
        heard.append(line.decode().strip())
        print(f"{name} hears {heard[-1]!r}")
    writer.close()
    await writer.wait_closed()
    return heard


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", 8902)
    async with server:
        results = await asyncio.gather(
            member("ann", 0.1, "hi all"),
            member("ben", 0.2, "hello ann"),
            member("cat", 0.3, "hey"),
        )
    print("everyone heard the same:", results[0] == results[1] == results[2])


asyncio.run(main())
