import asyncio


async def handle(reader, writer):
    name = (await reader.readline()).decode().strip()
    print(f"server: {name} connected")
    for n in range(1, 3):
        await asyncio.sleep(0.1)
        writer.write(f"tick {n} for {name}\n".encode())
        await writer.drain()
    writer.close()
    print(f"server: done with {name}")


async def client(name):
    reader, writer = await asyncio.open_connection("127.0.0.1", 8041)
    writer.write(f"{name}\n".encode())
    async for line in reader:
        print(f"{name} got {line.decode().strip()}")
    print(f"{name}: the server hung up")


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 8041)
    async with server:
        await asyncio.gather(client('ann'), client('bob'), client('cy'))


asyncio.run(main())
