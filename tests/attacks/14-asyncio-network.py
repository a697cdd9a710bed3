# Attack: asyncio's own network calls
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import asyncio
async def connect():
    reader, writer = await asyncio.open_connection("example.com", 80)
    return "connected"
attempt("asyncio.open_connection", lambda: asyncio.run(connect()))
async def serve():
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 8765)
    return "listening"
attempt("asyncio.start_server", lambda: asyncio.run(serve()))
