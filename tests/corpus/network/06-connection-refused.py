# Connecting where nobody listens: ConnectionRefusedError, as a real machine says.
import asyncio


async def main():
    try:
        await asyncio.open_connection("127.0.0.1", 8906)
    except ConnectionRefusedError as error:
        print("refused:", error.errno, error)
    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 8906)
    reader, writer = await asyncio.open_connection("127.0.0.1", 8906)
    print("now it connects; the server hangs up at once:", await reader.read())
    writer.close()
    server.close()
    await server.wait_closed()
    await asyncio.open_connection("127.0.0.1", 8906)


asyncio.run(main())
