"""The sockets asyncio makes, on the virtual network (network.py).

CPython's asyncio makes its sockets with ``socket.socket(...)`` in ``asyncio.base_events``
(``create_server``, ``create_connection``) and ``asyncio.unix_events`` (the Unix-socket
versions). ``install()`` gives those two modules a view of the ``socket`` module that is the
real one in every name but ``socket``, which makes a ``VirtualSocket``. Everything else is
CPython's: its selector event loop, its ``_SelectorSocketTransport`` (write buffering, flow
control, end of file), its streams and protocols call these sockets' ``send``, ``recv``,
``accept`` … as they would a real socket's, and the loop's selector (selector.py) reports
them ready as epoll would.

A program's own ``socket.socket()`` stays Pyodide's (which reaches no network).
"""

import asyncio.base_events as _base_events
import asyncio.events as _events
import asyncio.streams as _streams
import asyncio.transports as _transports
import asyncio.trsock as _trsock
import asyncio.unix_events as _unix_events
import socket as _socket
import types

from .network import AF_INET6, AF_UNIX, inet_pton, linux, network

# Linux's values, for the names Pyodide's socket module lacks and asyncio asks for.
_MISSING_CONSTANTS = {"AF_UNIX": AF_UNIX, "SO_REUSEADDR": 2, "SO_REUSEPORT": 15,
                      "SO_KEEPALIVE": 9}
_SO_ERROR = int(_socket.SO_ERROR)
_SOL_SOCKET = int(_socket.SOL_SOCKET)
_SO_TYPE = 3


def _family(value):
    try:
        return _socket.AddressFamily(value)
    except ValueError:
        return value


class VirtualSocket:
    """A socket on the virtual network, with the methods asyncio calls on a real one.

    Its state lives in its ``Endpoint`` (what a kernel keeps); this object is what a program's
    file descriptor is to Python: when it is closed, or collected, the endpoint closes."""

    __slots__ = ("_ep", "_timeout", "__weakref__")

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None, *, _endpoint=None):
        if _endpoint is None:
            if fileno is not None:
                raise OSError(linux.EBADF, "Loop Lab's virtual sockets cannot wrap a descriptor")
            family = _socket.AF_INET if family == -1 else family
            type = _socket.SOCK_STREAM if type == -1 else type
            proto = 0 if proto == -1 else proto
            _endpoint = network().open(int(family), int(type), int(proto))
        self._ep = _endpoint
        self._timeout = None

    # -- what it is ----------------------------------------------------------------------
    @property
    def family(self):
        return _family(self._ep.family)

    @property
    def type(self):
        return _socket.SocketKind(self._ep.type)

    @property
    def proto(self):
        return self._ep.proto

    def fileno(self):
        return self._ep.fd

    def __repr__(self):
        ep = self._ep
        text = (f"<socket.socket fd={ep.fd}, family={int(ep.family)}, type={int(ep.type)}, "
                f"proto={ep.proto}")
        if ep.fd != -1:
            try:
                text += f", laddr={self.getsockname()!r}"
            except OSError:
                pass
            try:
                text += f", raddr={self.getpeername()!r}"
            except OSError:
                pass
        else:
            text = text.replace("<socket.socket", "<socket.socket [closed]")
        return text + ">"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        ep = getattr(self, "_ep", None)
        if ep is not None and not ep.closed:
            ep.net.close(ep)

    # -- modes and options ----------------------------------------------------------------
    def setblocking(self, flag):
        self._timeout = None if flag else 0.0

    def getblocking(self):
        return self._timeout != 0.0

    def gettimeout(self):
        return self._timeout

    def settimeout(self, value):
        self._timeout = None if value is None else float(value)

    def setsockopt(self, level, option, value, optlen=None):
        self._check_open()
        self._ep.options[(int(level), int(option))] = value

    def getsockopt(self, level, option, buflen=None):
        self._check_open()
        ep = self._ep
        if (int(level), int(option)) == (_SOL_SOCKET, _SO_ERROR):
            err, ep.err = ep.err, 0
            # asyncio would make OSError(err, "Connect call failed …") of the number, which
            # picks its subclass by Pyodide's errno numbers (see network.linux): raise the
            # exception Linux gives instead, number and words as python3 shows them.
            if err == linux.ECONNREFUSED:
                raise ConnectionRefusedError(err, f"Connect call failed {ep.peer}")
            if err == linux.ETIMEDOUT:
                raise TimeoutError(err, f"Connect call failed {ep.peer}")
            return err
        if (int(level), int(option)) == (_SOL_SOCKET, _SO_TYPE):
            return ep.type
        value = ep.options.get((int(level), int(option)), 0)
        return int(value) if isinstance(value, bool) else value

    def _check_open(self):
        if self._ep.closed:
            raise OSError(linux.EBADF, "Bad file descriptor")

    # -- addresses ------------------------------------------------------------------------
    def bind(self, address):
        self._check_open()
        self._ep.net.bind(self._ep, address)

    def listen(self, backlog=128):
        self._check_open()
        self._ep.net.listen(self._ep, int(backlog))

    def getsockname(self):
        self._check_open()
        ep = self._ep
        if ep.local is not None:
            return ep.local
        if ep.family == AF_UNIX:
            return ""
        return ("::", 0, 0, 0) if ep.family == AF_INET6 else ("0.0.0.0", 0)

    def getpeername(self):
        self._check_open()
        ep = self._ep
        if ep.state != "connected" or ep.peer is None:
            raise OSError(linux.ENOTCONN, "Transport endpoint is not connected")
        return ep.peer

    # -- connecting -----------------------------------------------------------------------
    def connect(self, address):
        self._check_open()
        ep = self._ep
        ep.net.connect(ep, address)
        if ep.family == AF_UNIX:
            # A Unix socket connects, or fails, within the call (as on Linux).
            if ep.state == "connected":
                return
            ep.err = 0
            if not ep.net.has_path(ep.peer):
                raise FileNotFoundError(2, "No such file or directory")
            raise ConnectionRefusedError(linux.ECONNREFUSED, "Connection refused")
        # A non-blocking TCP connect never finishes inside the call, not even on loopback (as
        # on Linux: the socket turns writable, with SO_ERROR set, once the handshake is over).
        raise BlockingIOError(linux.EINPROGRESS, "Operation now in progress")

    def connect_ex(self, address):
        try:
            self.connect(address)
        except OSError as exc:
            return exc.errno
        return 0

    def accept(self):
        self._check_open()
        ep = self._ep.net.accept(self._ep)
        sock = VirtualSocket(_endpoint=ep)
        return sock, ep.peer

    # -- bytes ----------------------------------------------------------------------------
    def send(self, data, flags=0):
        self._check_open()
        return self._ep.net.send(self._ep, memoryview(data).cast("B"))

    def sendall(self, data, flags=0):
        view = memoryview(data).cast("B")
        while view:
            view = view[self.send(view):]

    def sendmsg(self, buffers, ancdata=(), flags=0, address=None):
        self._check_open()
        joined = b"".join(bytes(b) for b in buffers)
        return self._ep.net.send(self._ep, joined)

    def recv(self, bufsize, flags=0):
        self._check_open()
        if bufsize < 0:
            raise ValueError("negative buffersize in recv")
        return self._ep.net.recv(self._ep, bufsize)

    def recv_into(self, buffer, nbytes=0, flags=0):
        view = memoryview(buffer).cast("B")
        size = nbytes or len(view)
        data = self.recv(size)
        view[:len(data)] = data
        return len(data)

    def shutdown(self, how):
        self._check_open()
        if how in (_socket.SHUT_WR, _socket.SHUT_RDWR):
            self._ep.net.shutdown_write(self._ep)

    def close(self):
        ep = self._ep
        if not ep.closed:
            ep.net.close(ep)

    def detach(self):
        raise OSError(linux.EOPNOTSUPP, "Loop Lab's virtual sockets cannot be detached")


VirtualSocket.__name__ = VirtualSocket.__qualname__ = "socket"
VirtualSocket.__module__ = "socket"


def virtual_socketpair(family=AF_UNIX, type=_socket.SOCK_STREAM, proto=0):
    raise OSError(linux.EOPNOTSUPP, "Loop Lab's virtual network has no socket pairs")


class _SocketModuleView(types.ModuleType):
    """The socket module as asyncio's modules see it: the real one, with virtual sockets."""

    def __getattr__(self, name):
        if name in _MISSING_CONSTANTS:
            return _MISSING_CONSTANTS[name]
        return getattr(_socket, name)


async def open_unix_connection(path=None, *, limit=_streams._DEFAULT_LIMIT, **kwds):
    """Similar to `open_connection` but works with UNIX Domain Sockets."""
    # CPython's own (Lib/asyncio/streams.py), which asyncio defines only where the socket
    # module has AF_UNIX: Pyodide's has not, the virtual network has.
    loop = _events.get_running_loop()
    reader = _streams.StreamReader(limit=limit, loop=loop)
    protocol = _streams.StreamReaderProtocol(reader, loop=loop)
    transport, _ = await loop.create_unix_connection(lambda: protocol, path, **kwds)
    writer = _streams.StreamWriter(transport, protocol, reader, loop)
    return reader, writer


async def start_unix_server(client_connected_cb, path=None, *, limit=_streams._DEFAULT_LIMIT,
                            **kwds):
    """Similar to `start_server` but works with UNIX Domain Sockets."""
    loop = _events.get_running_loop()

    def factory():
        reader = _streams.StreamReader(limit=limit, loop=loop)
        protocol = _streams.StreamReaderProtocol(reader, client_connected_cb, loop=loop)
        return protocol

    return await loop.create_unix_server(factory, path, **kwds)


open_unix_connection.__module__ = start_unix_server.__module__ = "asyncio.streams"


def install():
    """asyncio's base_events and unix_events make their sockets on the virtual network, and
    asyncio has its Unix-socket streams."""
    view = _SocketModuleView("socket", _socket.__doc__)
    view.socket = VirtualSocket
    view.socketpair = virtual_socketpair
    view.inet_pton = inet_pton
    view.getaddrinfo = lambda *args, **kwargs: network().getaddrinfo(*args, **kwargs)
    _base_events.socket = view
    _unix_events.socket = view
    import asyncio
    for module in (_streams, asyncio):
        module.open_unix_connection = open_unix_connection
        module.start_unix_server = start_unix_server


def endpoint_of(obj):
    """The Endpoint behind a StreamWriter, a transport, a TransportSocket or a socket, or None."""
    if isinstance(obj, _streams.StreamWriter):
        obj = obj.transport
    if isinstance(obj, _transports.BaseTransport):
        obj = obj.get_extra_info("socket")
    if isinstance(obj, _trsock.TransportSocket):
        obj = obj._sock
    return obj._ep if isinstance(obj, VirtualSocket) else None
