# A client gives up on a slow read with asyncio.timeout, then waits longer with wait_for.
import asyncio


async def sleepy(reader, writer):
    await reader.readline()
    await asyncio.sleep(0.5)
    writer.write(b"finally\n")
    await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(sleepy, "127.0.0.1", 8905)
    async with server:
        reader, writer = await asyncio.open_connection("127.0.0.1", 8905)
        writer.write(b"anyone there?\n")
        try:
            async with asyncio.timeout(0.2):
                await reader.readline()
        except TimeoutError:
            print("no answer within 0.2 s")
        line = await asyncio.wait_for(reader.readline(), timeout=1.0)
        print("then:", line)
        try:
            await asyncio.wait_for(reader.readline(), timeout=0.1)
        except TimeoutError:
            print("unexpected timeout")
        else:
            print("the server hung up: the next readline gives", await reader.readline())
        writer.close()
        await writer.wait_closed()


asyncio.run(main())
