import asyncio
import time

# Three sites on this machine, each on its own port, each slow to answer in its own way.
SITES = {8021: ("news", 0.3), 8022: ("weather", 0.5), 8023: ("sports", 0.4)}


async def serve_page(name, delay, reader, writer):
    await reader.readline()
    await asyncio.sleep(delay)  # this site takes its time
    writer.write(f"<h1>{name}</h1>\n".encode())
    await writer.drain()
    writer.close()


async def download(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /\n")
    page = await reader.readline()
    writer.close()
    print("downloaded", page.decode().strip())
    return page


async def main():
    servers = []
    for port, (name, delay) in SITES.items():
        handler = lambda r, w, name=name, delay=delay: serve_page(name, delay, r, w)
        servers.append(await asyncio.start_server(handler, "127.0.0.1", port))

    start = time.monotonic()
    await asyncio.gather(download(8021), download(8022), download(8023))
    print(f"all at once: {time.monotonic() - start:.1f} s")

    start = time.monotonic()
    for port in SITES:
        await download(port)
    print(f"one after another: {time.monotonic() - start:.1f} s")

    for server in servers:
        server.close()


asyncio.run(main())
