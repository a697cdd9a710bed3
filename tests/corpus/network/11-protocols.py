# The callback style: loop.create_server and loop.create_connection with Protocol classes.
import asyncio


class Upper(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        print("server: connection made")

    def data_received(self, data):
        print("server: received", data)
        self.transport.write(data.upper())
        if data.endswith(b"."):
            self.transport.close()

    def connection_lost(self, exc):
        print("server: connection lost", exc)


class Talker(asyncio.Protocol):
    def __init__(self, finished):
        self.finished = finished
        self.heard = b""

    def connection_made(self, transport):
        print("client: connected")
        transport.write(b"quiet words.")

    def data_received(self, data):
        self.heard += data

    def eof_received(self):
        print("client: end of data")

    def connection_lost(self, exc):
        print("client: connection lost", exc)
        self.finished.set_result(self.heard)


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Upper, "127.0.0.1", 8911)
    finished = loop.create_future()
    transport, protocol = await loop.create_connection(lambda: Talker(finished), "127.0.0.1", 8911)
    print("client heard:", await finished)
    server.close()
    await server.wait_closed()


asyncio.run(main())
