# The same streams over a Unix socket: a path instead of a host and port.
import asyncio

PATH = "/tmp/looplab-corpus-14.sock"


async def shout(reader, writer):
    text = await reader.read(100)
    writer.write(text.upper())
    await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_unix_server(shout, PATH)
    async with server:
        reader, writer = await asyncio.open_unix_connection(PATH)
        writer.write(b"over a unix socket")
        print(await reader.read())
        writer.close()
        await writer.wait_closed()
    try:
        await asyncio.open_unix_connection("/tmp/looplab-corpus-14-nobody.sock")
    except FileNotFoundError as error:
        print("nobody there:", error)


asyncio.run(main())
