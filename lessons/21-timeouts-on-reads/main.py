import asyncio


async def slow_server(reader, writer):
    await reader.readline()
    await asyncio.sleep(2)  # far too slow
    writer.write(b"Tea: 3 euros\n")
    await writer.drain()
    writer.close()


async def ask(reader, writer, limit):
    writer.write(b"How much is the tea?\n")
    try:
        async with asyncio.timeout(limit):
            return await reader.readline()
    except TimeoutError:
        print(f"no answer within {limit} s: giving up on this read")
        return None


async def main():
    server = await asyncio.start_server(slow_server, "127.0.0.1", 8031)
    reader, writer = await asyncio.open_connection("127.0.0.1", 8031)
    print("answer:", await ask(reader, writer, 0.5))
    print("the connection is still open:", not writer.is_closing())
    late = await asyncio.wait_for(reader.readline(), timeout=5)
    print("a patient read gets", late)
    writer.close()
    server.close()


asyncio.run(main())
