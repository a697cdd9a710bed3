# Attack: opening network connections with sockets
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import socket
attempt("create_connection(example.com:80)", lambda: socket.create_connection(("example.com", 80), timeout=1))
attempt("create_connection(127.0.0.1:22)", lambda: socket.create_connection(("127.0.0.1", 22), timeout=1))
def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"hello", ("8.8.8.8", 53))
    return s.recv(10)
attempt("UDP to 8.8.8.8:53", udp)
