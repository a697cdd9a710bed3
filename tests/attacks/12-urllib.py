# Attack: fetching URLs with urllib and http.client
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import urllib.request, http.client
attempt("urlopen(https://example.com)", lambda: urllib.request.urlopen("https://example.com", timeout=1).read(20))
attempt("urlopen(http://127.0.0.1/)", lambda: urllib.request.urlopen("http://127.0.0.1/", timeout=1).read(20))
def http_get():
    connection = http.client.HTTPConnection("example.com", timeout=1)
    connection.request("GET", "/")
    return connection.getresponse().status
attempt("http.client GET", http_get)
