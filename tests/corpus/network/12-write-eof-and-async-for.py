# The client sends lines and then write_eof(); the server reads them with `async for` until
# the end of data, and answers with a count.
import asyncio


async def counter(reader, writer):
    lines = 0
    async for line in reader:
        lines += 1
        print("server read", line)
    print("server: end of data after", lines, "lines")
    writer.write(f"{lines} lines\n".encode())
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(counter, "127.0.0.1", 8912)
    async with server:
        reader, writer = await asyncio.open_connection("127.0.0.1", 8912)
        writer.writelines([b"alpha\n", b"beta\n", b"gamma\n"])
        print("can write eof:", writer.can_write_eof())
        writer.write_eof()
        print("client got", await reader.readline())
        print("then", await reader.readline())
        writer.close()
        await writer.wait_closed()


asyncio.run(main())
