# serve_forever() until the program cancels it; the clients' tasks run meanwhile.
import asyncio


async def hello(reader, writer):
    writer.write(b"hello\n")
    await writer.drain()
    writer.close()


async def visit(n):
    reader, writer = await asyncio.open_connection("127.0.0.1", 8913)
    print(f"visitor {n}:", await reader.readline())
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(hello, "127.0.0.1", 8913, start_serving=False)
    print("serving yet:", server.is_serving())
    serving = asyncio.create_task(server.serve_forever())
    await asyncio.sleep(0)
    print("serving now:", server.is_serving())
    for n in range(3):
        await visit(n)
    serving.cancel()
    try:
        await serving
    except asyncio.CancelledError:
        print("serve_forever was cancelled; serving:", server.is_serving())


asyncio.run(main())
