# Attack: Pyodide's fetch helpers
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import asyncio
async def fetch_page():
    from pyodide.http import pyfetch
    response = await pyfetch("https://example.com")
    return await response.text()
attempt("pyodide.http.pyfetch", lambda: asyncio.run(fetch_page()))
def open_url():
    from pyodide.http import open_url
    return open_url("/index.html").read(40)
attempt("pyodide.http.open_url", open_url)
