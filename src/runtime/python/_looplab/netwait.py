"""What a suspended task waits for on the network: a read, a drain, a connection, a server.

``network_wait`` is asked by ``LoopObserver.wait_kind`` (observe.py) before anything else but
a sleep: it walks the task's await chain for the stream, server and socket functions of
asyncio (streams.py, base_events.py, selector_events.py, or their stand-ins in this package)
and says which one the task is in, on which connection. Its answer is the trace contract's
``net`` wait (src/shared/trace-net.ts): ``{kind: "net", op, call, conn, side, peer, local}``.
"""

import asyncio.base_events as _base_events
import asyncio.selector_events as _selector_events
import asyncio.streams as _streams
import os

from .identity import address_key, own_attribute
from .vsocket import VirtualSocket
# Taken once, as this module loads: the program can reach these modules and rebind their names.
_dirname = os.path.dirname
_STREAM_READER, _STREAM_WRITER = _streams.StreamReader, _streams.StreamWriter
_SOCKET_TRANSPORT = _selector_events._SelectorSocketTransport
_SERVER = _base_events.Server

# A socket's endpoint, read through its slot's own descriptor, taken here: the program can
# reach VirtualSocket and put a property of its own in the slot's place.
_ENDPOINT = VirtualSocket.__dict__["_ep"].__get__

_ASYNCIO_FILES = ("asyncio/streams.py", "asyncio/base_events.py", "asyncio/selector_events.py",
                  "asyncio/unix_events.py")
_OWN_DIR = os.path.dirname(__file__)

# qualname -> (op, what the learner called)
_CALLS = {
    "StreamReader.read": ("read", "reader.read"),
    "StreamReader.readline": ("read", "reader.readline"),
    "StreamReader.readexactly": ("read", "reader.readexactly"),
    "StreamReader.readuntil": ("read", "reader.readuntil"),
    "StreamReader.__anext__": ("read", "async for … in reader"),
    "BaseSelectorEventLoop.sock_recv": ("read", "loop.sock_recv"),
    "BaseSelectorEventLoop.sock_recv_into": ("read", "loop.sock_recv_into"),
    "StreamWriter.drain": ("drain", "writer.drain"),
    "BaseSelectorEventLoop.sock_sendall": ("write", "loop.sock_sendall"),
    "StreamWriter.wait_closed": ("closed", "writer.wait_closed"),
    "open_connection": ("connect", "asyncio.open_connection"),
    "open_unix_connection": ("connect", "asyncio.open_unix_connection"),
    "BaseEventLoop.create_connection": ("connect", "loop.create_connection"),
    "_UnixSelectorEventLoop.create_unix_connection": ("connect", "loop.create_unix_connection"),
    "BaseSelectorEventLoop.sock_connect": ("connect", "loop.sock_connect"),
    "BaseSelectorEventLoop.sock_accept": ("accept", "loop.sock_accept"),
    "start_server": ("start", "asyncio.start_server"),
    "start_unix_server": ("start", "asyncio.start_unix_server"),
    "BaseEventLoop.create_server": ("start", "loop.create_server"),
    "_UnixSelectorEventLoop.create_unix_server": ("start", "loop.create_unix_server"),
    "Server.serve_forever": ("serve", "server.serve_forever"),
    "Server.wait_closed": ("server_closed", "server.wait_closed"),
    "_UnixSelectorEventLoop.getaddrinfo": ("resolve", "loop.getaddrinfo"),
}


def _ours(code):
    filename = code.co_filename
    return filename.endswith(_ASYNCIO_FILES) or _dirname(filename) == _OWN_DIR


def _endpoint_in(local):
    """The socket endpoint a frame works on: its ``sock``, or its stream's transport's.

    Every object is told by its exact type before anything is read from it: a frame is taken
    for asyncio's by its file's name, which a program can give code of its own, and a lookup on
    an object of the program's (``isinstance`` asks its ``__class__``; ``getattr`` its
    properties) ran the program's code in the suspend's record, where python3 runs none (an
    attacker's property that raised ended the run). A subclass's attributes are the program's
    too: a stream of such a class is shown with no connection."""
    sock = local.get("sock")
    if type(sock) is VirtualSocket:
        return _ENDPOINT(sock, VirtualSocket)
    owner = local.get("self")
    kind = type(owner)
    if kind is _STREAM_READER or kind is _STREAM_WRITER:
        # Each read from the instance's own dict: even asyncio's classes can be given a
        # property of the program's (a second attacker's).
        transport = own_attribute(owner, "_transport")
        if type(transport) is _SOCKET_TRANSPORT:
            sock = own_attribute(transport, "_sock")
            return _ENDPOINT(sock, VirtualSocket) if type(sock) is VirtualSocket else None
    return None


def network_wait(rec, chain):
    """The ``net`` wait of a suspended task, or None when it waits on something else.
    ``chain``: the task's ``await_chain`` (observe.py)."""
    found = None
    ep = None
    for _obj, code, frame in chain:
        if code is None or frame is None or address_key(code) in rec.user_keys or not _ours(code):
            continue
        local = frame.f_locals
        if found is None:
            call = _CALLS.get(code.co_qualname)
            if call is None:
                continue
            found = (call, local)
        ep = _endpoint_in(local) or ep
        if ep is not None:
            break
    if found is None:
        return None
    (op, call), local = found
    peer = own = None
    conn = side = None
    if ep is not None:
        own = ep.label()
        if ep.conn is not None:
            conn, side, peer = ep.conn.cid, ep.side, ep.peer_label()
    if op == "serve" or op == "server_closed":
        server = local.get("self")
        sockets = own_attribute(server, "_sockets") if type(server) is _SERVER else None
        labels = [_ENDPOINT(s, VirtualSocket).label() for s in (sockets if type(sockets) is list else ())
                  if type(s) is VirtualSocket]
        own = ", ".join(dict.fromkeys(labels)) or None
    elif peer is None and op in ("connect", "resolve"):
        host, port = local.get("host"), local.get("port")
        path = local.get("path")
        if type(path) is str:
            peer = path
        elif type(host) is str:
            peer = f"{host}:{port}" if type(port) is int or type(port) is str else host
    return {"kind": "net", "op": op, "call": call, "conn": conn, "side": side,
            "peer": peer, "local": own}
