# Attack: asyncio's own network calls
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
# asyncio's streams work in Loop Lab, on a virtual network inside the interpreter: a server
# started there is reachable from the same program only ("virtual: ..."), and a connection to
# anything else is refused, as where nobody listens.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import asyncio
import socket

async def connect(host, port):
    reader, writer = await asyncio.open_connection(host, port)
    return "connected"
attempt("asyncio.open_connection(example.com:80)", lambda: asyncio.run(connect("example.com", 80)))
attempt("asyncio.open_connection(93.184.216.34:80)", lambda: asyncio.run(connect("93.184.216.34", 80)))
attempt("asyncio.open_connection(127.0.0.1:22)", lambda: asyncio.run(connect("127.0.0.1", 22)))

async def serve():
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 8765)
    return f"listening on the virtual network at {server.sockets[0].getsockname()}"
print("virtual:", asyncio.run(serve()))

async def real_socket():
    sock = socket.socket()
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("93.184.216.34", 80))
    return "connected a real socket"
attempt("loop.sock_connect(a socket.socket())", lambda: asyncio.run(real_socket()))

async def watch_stdin():
    asyncio.get_running_loop().add_reader(0, print)
    return "watching fd 0"
attempt("loop.add_reader(0)", lambda: asyncio.run(watch_stdin()))
