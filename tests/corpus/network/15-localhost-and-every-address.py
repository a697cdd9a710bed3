# A server on every address of the machine (host None), reached by name: localhost.
import asyncio


async def whoami(reader, writer):
    host, port = writer.get_extra_info("sockname")[:2]
    writer.write(f"you reached me at {host}:{port}\n".encode())
    await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(whoami, None, 8915)
    print("listening on", sorted(s.getsockname()[0] for s in server.sockets))
    async with server:
        for host in ["localhost", "127.0.0.1"]:
            reader, writer = await asyncio.open_connection(host, 8915)
            print(host, "->", (await reader.readline()).decode().strip())
            print("peer is", writer.get_extra_info("peername"))
            writer.close()
            await writer.wait_closed()


asyncio.run(main())
