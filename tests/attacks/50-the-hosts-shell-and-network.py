# Attack 50: start a process on the host and reach its network through what Emscripten does in
# Node: its system() ran the command through a real shell (os.system("id > file") returned 0
# and wrote the file from the command-line tool), and its sockets were real WebSockets (a
# connect to 127.0.0.1 was made, listen() opened a real server, and sends queued without limit
# while a connect was under way). Every shell must answer as a browser worker does.
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
import os
import socket

MARKER = "/tmp/looplab-attack-marker.txt"


def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}: {error}"[:200])
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])


def shell():
    status = os.system(f"echo escaped > {MARKER}")
    if status != 0:
        raise OSError(f"os.system returned {status}")
    return status


def connect(host, port, blocking):
    s = socket.socket()
    s.setblocking(blocking)
    try:
        s.connect((host, port))
    except BlockingIOError:
        pass  # under way: a real socket is now connecting
    s.send(b"x")
    return s.getpeername()


def flood_while_connecting():
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", 9))
    except BlockingIOError:
        pass
    queued = 0
    for _ in range(64):
        queued += s.send(b"x" * (1 << 20))
    return f"{queued} bytes queued"


def serve():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    return s.getsockname()


def datagram():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    return u.sendto(b"hello", ("127.0.0.1", 53))


attempt("os.system writes a file on the host", shell)
attempt("os.popen", lambda: os.popen("id").read() or (_ for _ in ()).throw(OSError("no output")))
attempt("connect 127.0.0.1:22, blocking", lambda: connect("127.0.0.1", 22, True))
attempt("connect localhost:80, not blocking", lambda: connect("localhost", 80, False))
attempt("connect example.com:443", lambda: connect("example.com", 443, True))
attempt("1 MB sends while connecting", flood_while_connecting)
attempt("listen on 127.0.0.1", serve)
attempt("UDP to 127.0.0.1:53", datagram)
