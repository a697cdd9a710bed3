# A server with 200 clients, each sending 10 lines and reading each one back (an echo): the
# runtime bench's network program (bench/runtime.ts, bench/ui.ts).
import asyncio

CLIENTS = 200
MESSAGES = 10


async def echo(reader, writer):
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()
    writer.close()


async def client(n):
    reader, writer = await asyncio.open_connection("127.0.0.1", 8800)
    for i in range(MESSAGES):
        writer.write(f"{n}:{i}\n".encode())
        await writer.drain()
        await reader.readline()
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(echo, "127.0.0.1", 8800)
    async with server:
        await asyncio.gather(*(client(n) for n in range(CLIENTS)))
    print("200 clients served")


asyncio.run(main())
