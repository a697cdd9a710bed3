# An echo server and three clients, one after another, all in one program.
import asyncio


async def echo(reader, writer):
    peer = "client"
    while True:
        line = await reader.readline()
        if not line:
            break
        print(f"server: {peer} sent {line!r}")
        writer.write(line)
        await writer.drain()
    print("server: the client hung up")
    writer.close()
    await writer.wait_closed()


async def client(name, words):
    reader, writer = await asyncio.open_connection("127.0.0.1", 8901)
    for word in words:
        writer.write(f"{name}: {word}\n".encode())
        await writer.drain()
        answer = await reader.readline()
        print(f"{name} got back {answer.decode().strip()!r}")
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(echo, "127.0.0.1", 8901)
    print("listening on", server.sockets[0].getsockname())
    async with server:
        await client("ada", ["hello", "bye"])
        await client("bob", ["one"])
        await client("cy", [])
        await asyncio.sleep(0.05)
    print("server closed:", not server.is_serving())


asyncio.run(main())
