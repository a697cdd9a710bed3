# The server closes in the middle of a message: readexactly raises IncompleteReadError.
import asyncio


async def half(reader, writer):
    await reader.readline()
    writer.write(b"12345")
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(half, "127.0.0.1", 8907)
    async with server:
        reader, writer = await asyncio.open_connection("127.0.0.1", 8907)
        writer.write(b"send me ten bytes\n")
        try:
            await reader.readexactly(10)
        except asyncio.IncompleteReadError as error:
            print("got only", error.partial, "of", error.expected, "bytes")
            print(error)
        print("at end of data:", reader.at_eof())
        writer.close()
        await writer.wait_closed()


asyncio.run(main())
