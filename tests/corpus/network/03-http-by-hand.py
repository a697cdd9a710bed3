# A tiny HTTP/1.0 server and client, with the request and response parsed by hand.
import asyncio

PAGES = {"/": b"<h1>Home</h1>\n", "/about": b"<p>About us</p>\n"}


async def http_server(reader, writer):
    request_line = (await reader.readline()).decode("latin-1").rstrip("\r\n")
    method, path, version = request_line.split(" ")
    headers = {}
    while True:
        line = (await reader.readline()).decode("latin-1").rstrip("\r\n")
        if not line:
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    print(f"server: {method} {path} {version}, host={headers.get('host')}")
    body = PAGES.get(path)
    status = "200 OK" if body is not None else "404 Not Found"
    body = body if body is not None else b"not here\n"
    writer.write(f"HTTP/1.0 {status}\r\nContent-Type: text/html\r\n"
                 f"Content-Length: {len(body)}\r\n\r\n".encode("latin-1") + body)
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def get(path):
    reader, writer = await asyncio.open_connection("127.0.0.1", 8903)
    writer.write(f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode("latin-1"))
    await writer.drain()
    status = (await reader.readuntil(b"\r\n")).decode().strip()
    head = await reader.readuntil(b"\r\n\r\n")
    fields = dict(line.split(": ", 1) for line in head.decode().strip().split("\r\n"))
    body = await reader.readexactly(int(fields["Content-Length"]))
    rest = await reader.read()
    writer.close()
    await writer.wait_closed()
    return status, fields["Content-Type"], body, rest


async def main():
    server = await asyncio.start_server(http_server, "127.0.0.1", 8903)
    async with server:
        for path in ["/", "/about", "/missing"]:
            status, kind, body, rest = await get(path)
            print(f"client: {path} -> {status} ({kind}) {body!r}, then {rest!r}")


asyncio.run(main())
