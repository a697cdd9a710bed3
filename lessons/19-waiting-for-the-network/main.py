import asyncio
import time


async def weather_server(reader, writer):
    question = await reader.readline()
    print("server: got", question)
    await asyncio.sleep(0.5)  # the server takes half a second to answer
    writer.write(b"Sunny, 21 degrees\n")
    await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(weather_server, "127.0.0.1", 8019)
    start = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", 8019)
    writer.write(b"Weather in Oslo?\n")
    answer = await reader.readline()
    print("client: got", answer)
    print(f"client: waited {time.monotonic() - start:.1f} s")
    writer.close()
    server.close()


asyncio.run(main())
