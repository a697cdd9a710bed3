"""The virtual network a program's sockets live on, timed on the virtual clock.

What a kernel would keep for each socket is an ``Endpoint`` here: its address, its receive
buffer, whether its peer has finished sending. A connection is two one-way pipes, each with a
latency (one way, in seconds) and a bandwidth (bytes a second, or unlimited). What is sent
leaves at once and arrives ``latency`` later (later still when a bandwidth paces it), as a
``moment`` in the network's own queue of things due; the selector (selector.py) moves the
clock to the soonest of those moments and the loop's timers, as a real ``select()`` wakes for
whichever comes first.

Moments due now happen at once, in the order they were set, as they do on a real machine's
loopback interface (Linux delivers loopback packets within the ``send()`` or ``connect()`` that
sends them), so that sockets become ready in the order a real ``epoll`` would report them.

What the network does goes into the trace as ``net`` events (see wire.py: E_NET, and
src/shared/trace.md): a socket listens, a connection is made, refused, accepted, bytes are
sent, arrive and are read, a side shuts down or closes, a reset arrives.

Addresses: ``127.0.0.0/8``, ``::1`` and ``localhost`` are this machine's loopback, which costs
no time by default (as on a real machine, where it costs microseconds). Any other host name
resolves to a made-up address of its own, ``10.x.y.z``; this machine is ``10.0.0.1`` to them,
and a connection to or from one gets ``DEFAULT_LATENCY`` each way unless the program sets
another (``looplab.net``, public_net.py). Names ending in ``.invalid`` do not resolve.
"""

import heapq
import ipaddress
import itertools
import math
import socket as _socket
import types
import weakref
import zlib

from . import current
from .clock import now
from .wire import E_NET

DEFAULT_LATENCY = 0.020   # seconds, one way, to and from a made-up host (e.g. db.example)
WINDOW = 256 * 1024       # bytes one direction holds unread (send + receive buffers) before
                          # send() takes no more; a real Linux loopback holds a few MB
WRITABLE = WINDOW // 3    # free bytes a full socket needs before it counts as writable again
                          # (Linux: a third of the buffer, tcp_poll/sk_stream_is_writeable)
SEGMENT = 64 * 1024       # a write paced by a bandwidth travels in pieces of at most this size
PREVIEW = 32              # bytes of each send the trace shows
SYN_RETRIES = 6           # Linux's tcp_syn_retries: a SYN dropped by a full listener is sent again
FIRST_FD = 6              # python3's first socket: 3 is epoll's, 4 and 5 the loop's self-pipe
FIRST_PORT = 50000        # the first ephemeral port a client gets
THIS_HOST = "10.0.0.1"    # this machine, as a made-up host sees it
THIS_HOST6 = "fd00::1"

AF_INET, AF_INET6 = int(_socket.AF_INET), int(_socket.AF_INET6)
AF_UNIX = 1               # Linux's value: Pyodide's socket module has no AF_UNIX
SOCK_STREAM = int(_socket.SOCK_STREAM)
READ, WRITE = 1, 2        # selectors.EVENT_READ, selectors.EVENT_WRITE
INFINITY = math.inf

# The errors the network raises carry Linux's numbers, as python3 on Linux shows them: Pyodide's
# errno module has the WebAssembly C library's own (ECONNREFUSED is 14 there, not 111). Each is
# raised as its OSError subclass by name (ConnectionRefusedError(111, …)), since OSError(111)
# would not pick the subclass in Pyodide; none of these numbers picks one there either.
linux = types.SimpleNamespace(
    EBADF=9, EAGAIN=11, EINVAL=22, EPIPE=32, EPROTONOSUPPORT=93, EOPNOTSUPP=95,
    EAFNOSUPPORT=97, EADDRINUSE=98, ECONNRESET=104, EISCONN=106, ENOTCONN=107,
    ECONNREFUSED=111, EALREADY=114, EINPROGRESS=115, ETIMEDOUT=110)

_WILDCARD = {AF_INET: "0.0.0.0", AF_INET6: "::"}
_SERVICES = {"http": 80, "https": 443, "ftp": 21, "ssh": 22, "smtp": 25, "domain": 53,
             "pop3": 110, "imap": 143, "postgresql": 5432, "mysql": 3306, "redis": 6379}


def emit(*fields):
    """Records a ``net`` event, when the run is traced."""
    rec = current.recorder
    if rec is not None:
        rec.emit([E_NET, *fields])


def is_loopback(host):
    return host == "::1" or host.startswith("127.")


def _gaierror(code, message):
    return _socket.gaierror(code, message)


class Pipe:
    """One direction of a connection: bytes from one endpoint on their way to the other.

    ``outstanding`` counts bytes sent and not yet read by the other side (as far as the
    sender knows: a read frees room only ``latency`` later, when the news arrives back)."""

    __slots__ = ("conn", "frm", "to", "free_at", "last_arrival", "outstanding", "sent", "read")

    def __init__(self, conn, frm, to):
        self.conn = conn
        self.frm = frm            # "client" or "server": the side that sends
        self.to = to
        self.free_at = 0.0        # when the link has sent what it was given (bandwidth)
        self.last_arrival = 0.0   # TCP keeps order: nothing overtakes what was sent before
        self.outstanding = 0
        self.sent = 0
        self.read = 0

    def arrival(self, size):
        """When ``size`` bytes sent now arrive, and the link is busy until then."""
        conn = self.conn
        t = now()
        if conn.bandwidth is not None:
            start = max(t, self.free_at)
            self.free_at = start + size / conn.bandwidth
            t = self.free_at
        t = max(t + conn.latency, self.last_arrival)
        self.last_arrival = t
        return t


class Connection:
    """A TCP connection (or a Unix socket's): its two endpoints, latency and bandwidth."""

    __slots__ = ("cid", "net", "client", "server", "latency", "bandwidth", "up", "down",
                 "client_label", "server_label", "family", "retries", "__weakref__")

    def __init__(self, net, cid, client, family, latency, bandwidth, client_label, server_label):
        self.cid = cid
        self.net = net
        self.family = family
        self.client = client      # the Endpoint that connected
        self.server = None        # the Endpoint the listener made for it, once the SYN arrives
        self.latency = latency
        self.bandwidth = bandwidth
        self.client_label = client_label
        self.server_label = server_label
        self.up = Pipe(self, "client", "server")
        self.down = Pipe(self, "server", "client")
        self.retries = 0          # SYNs sent again because the listener's queue was full

    def endpoint(self, side):
        return self.client if side == "client" else self.server

    def pipe_from(self, side):
        return self.up if side == "client" else self.down


class Endpoint:
    """What the kernel keeps for one socket: its state, addresses and receive buffer."""

    __slots__ = ("net", "family", "type", "proto", "fd", "state", "local", "peer", "options",
                 "sid", "backlog", "queue", "pending", "conn", "side", "rbuf", "eof", "eof_read", "reset", "err",
                 "shut_wr", "closed", "selector", "__weakref__")

    def __init__(self, net, family, type_, proto):
        self.net = net
        self.family = family
        self.type = type_
        self.proto = proto
        self.fd = -1
        self.state = "new"        # new, bound, listening, connecting, connected, closed
        self.local = None         # the address it is bound to
        self.peer = None
        self.options = {}
        self.sid = None           # a listener's number in the trace
        self.backlog = 0
        self.queue = None         # a listener's connections waiting for accept()
        self.pending = 0          # a listener's handshakes under way (SYN in, last ACK not yet)
        self.conn = None
        self.side = None          # "client" or "server"
        self.rbuf = bytearray()   # bytes arrived and not yet read
        self.eof = False          # the peer's FIN has arrived
        self.eof_read = False     # and its program has read it (recv gave b'')
        self.reset = False        # a reset has arrived (read: once, as an error)
        self.err = 0              # pending SO_ERROR (a refused connect)
        self.shut_wr = False
        self.closed = False
        self.selector = None      # the selector it is registered with, if any

    # -- what a selector sees ----------------------------------------------------------
    def readiness(self):
        """EVENT_READ | EVENT_WRITE as epoll would report them now (errors count as both)."""
        if self.closed:
            return 0
        if self.err:
            return READ | WRITE
        state = self.state
        if state == "listening":
            return READ if self.queue else 0
        if state != "connected":
            return 0
        mask = READ if (self.rbuf or self.eof or self.reset) else 0
        if self.reset or self.shut_wr or \
                WINDOW - self.conn.pipe_from(self.side).outstanding >= WRITABLE:
            mask |= WRITE
        return mask

    def poke(self):
        """Its state changed: a selector watching it may now find it ready."""
        selector = self.selector
        if selector is not None:
            selector.poke(self.fd)

    def label(self):
        return self.net.label(self.family, self.local)

    def peer_label(self):
        conn = self.conn
        if conn is not None:
            return conn.server_label if self.side == "client" else conn.client_label
        return None


class Network:
    """One run's network: every socket, listener and connection, and the moments due."""

    def __init__(self):
        self.fds = {}             # fd -> Endpoint, for every open socket
        self.bound = {}           # (family, host, port) or (AF_UNIX, path) -> Endpoint
        self.moments = []         # heap of (when, order, action, args)
        self.order = itertools.count()
        self.settling = False
        self.sids = itertools.count()
        self.cids = itertools.count()
        self.next_port = FIRST_PORT
        self.names = {}           # made-up address -> its host name
        self.addresses = {}       # host name -> made-up address
        self.latencies = {}       # address -> one-way latency, as the program set it
        self.bandwidths = {}      # address -> bytes a second, as the program set it

    # -- time -------------------------------------------------------------------------
    def at(self, when, action, *args):
        """``action(*args)`` at virtual time ``when``; at once (in order) if that is now."""
        heapq.heappush(self.moments, (when, next(self.order), action, args))
        if when <= now():
            self.settle()

    def settle(self):
        """Everything due by now happens, soonest first, in the order it was set."""
        if self.settling:
            return  # an action set another moment due now: the loop below takes it too
        self.settling = True
        try:
            moments = self.moments
            t = now()
            while moments and moments[0][0] <= t:
                _when, _order, action, args = heapq.heappop(moments)
                action(*args)
        finally:
            self.settling = False

    def next_moment(self):
        return self.moments[0][0] if self.moments else INFINITY

    # -- names and addresses ----------------------------------------------------------
    def address_of(self, host):
        """The address a host name resolves to (a made-up 10.x.y.z for an unknown name)."""
        if host in (None, ""):
            return None
        host = host.decode("idna") if isinstance(host, bytes) else str(host)
        if _numeric(host):
            return host
        name = host.lower().rstrip(".")
        if name in ("localhost", "localhost.localdomain") or name.endswith(".localhost"):
            return "127.0.0.1"
        if not name or name.endswith(".invalid") or name == "invalid":
            raise _gaierror(-2, "Name or service not known")
        address = self.addresses.get(name)
        if address is None:
            h = zlib.crc32(name.encode("utf-8"))
            while True:
                address = f"10.{(h >> 16) & 255}.{(h >> 8) & 255}.{1 + (h & 255) % 254}"
                if address not in self.names and address != THIS_HOST:
                    break
                h += 1
            self.addresses[name] = address
            self.names[address] = name
        return address

    def getaddrinfo(self, host, port, family=0, type_=0, proto=0, flags=0):
        """socket.getaddrinfo on this network: stream sockets only."""
        port = _port_number(port)
        if type_ not in (0, SOCK_STREAM):
            return []
        proto = int(_socket.IPPROTO_TCP)
        kind = _socket.SocketKind(SOCK_STREAM)
        if host in (None, ""):
            passive = flags & int(_socket.AI_PASSIVE)
            hosts = [(AF_INET, "0.0.0.0" if passive else "127.0.0.1"),
                     (AF_INET6, "::" if passive else "::1")]
        else:
            address = self.address_of(host)
            hosts = [(AF_INET6 if ":" in address else AF_INET, address)]
        out = []
        for af, address in hosts:
            if family not in (0, af):
                continue
            sockaddr = (address, port, 0, 0) if af == AF_INET6 else (address, port)
            out.append((_socket.AddressFamily(af), kind, proto, "", sockaddr))
        if not out:
            raise _gaierror(-9, "Address family for hostname not supported")
        return out

    def label(self, family, address):
        """An address as the trace shows it: ``db.example:5432``, ``:8888``, ``[::1]:80``."""
        if address is None:
            return None
        if family == AF_UNIX:
            return address if isinstance(address, str) else repr(address)
        host, port = address[0], address[1]
        if host in ("0.0.0.0", "::"):
            return f":{port}"
        host = self.names.get(host, host)
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def latency_between(self, client_host, server_host):
        """One-way latency of a connection between two addresses."""
        values = []
        for host in (client_host, server_host):
            if host in self.latencies:
                values.append(self.latencies[host])
            elif host is None or is_loopback(host) or host in (THIS_HOST, THIS_HOST6):
                values.append(0.0)
            else:
                values.append(DEFAULT_LATENCY)
        return max(values)

    def bandwidth_between(self, client_host, server_host):
        values = [self.bandwidths[h] for h in (client_host, server_host) if h in self.bandwidths]
        return min(values) if values else None

    # -- sockets ------------------------------------------------------------------------
    def open(self, family, type_, proto):
        """A new socket's endpoint, with the lowest free descriptor (as a kernel gives)."""
        if type_ & 0xF != SOCK_STREAM:
            raise OSError(linux.EPROTONOSUPPORT,
                          "Loop Lab's virtual network carries streams (TCP) only, not UDP")
        if family not in (AF_INET, AF_INET6, AF_UNIX):
            raise OSError(linux.EAFNOSUPPORT, "Address family not supported by protocol")
        ep = Endpoint(self, family, SOCK_STREAM, proto)
        self.give_fd(ep)
        return ep

    def give_fd(self, ep):
        fd = FIRST_FD
        while fd in self.fds:
            fd += 1
        ep.fd = fd
        self.fds[fd] = ep

    def bind(self, ep, address):
        if ep.local is not None:
            raise OSError(linux.EINVAL, "Invalid argument")
        if ep.family == AF_UNIX:
            path = address.decode() if isinstance(address, bytes) else str(address)
            key = (AF_UNIX, path)
            if path and key in self.bound:
                raise OSError(linux.EADDRINUSE, "Address already in use")
            ep.local = path
            if path:
                self.bound[key] = ep
            ep.state = "bound"
            return
        host, port = _split(ep.family, address)
        host = _WILDCARD[ep.family] if host == "" else self.address_of(host)
        if port == 0:
            port = self.free_port(ep.family, host)
        elif self.in_use(ep.family, host, port):
            raise OSError(linux.EADDRINUSE, "Address already in use")
        ep.local = (host, port, 0, 0) if ep.family == AF_INET6 else (host, port)
        self.bound[(ep.family, host, port)] = ep
        ep.state = "bound"

    def in_use(self, family, host, port):
        """Is this port taken for this host (an address bound to all hosts takes it for all)?"""
        wildcard = _WILDCARD[family]
        if (family, host, port) in self.bound or (family, wildcard, port) in self.bound:
            return True
        return host == wildcard and any(
            key[0] == family and key[2] == port for key in self.bound if len(key) == 3)

    def free_port(self, family, host):
        while self.in_use(family, host, self.next_port):
            self.next_port += 1
        port = self.next_port
        self.next_port += 1
        return port

    def unbind(self, ep):
        local = ep.local
        if local is None:
            return
        key = (AF_UNIX, local) if ep.family == AF_UNIX else (ep.family, local[0], local[1])
        if self.bound.get(key) is ep:
            del self.bound[key]

    def listen(self, ep, backlog):
        if ep.state == "listening":
            ep.backlog = backlog
            return
        if ep.state not in ("new", "bound"):
            raise OSError(linux.EINVAL, "Invalid argument")
        if ep.local is None:
            self.bind(ep, ("", 0) if ep.family != AF_UNIX else "")
        ep.state = "listening"
        ep.backlog = backlog
        ep.queue = []
        ep.sid = next(self.sids)
        emit("listen", ep.sid, ep.label())

    def has_path(self, path):
        """Is a Unix socket bound at ``path`` (listening or not)?"""
        return (AF_UNIX, path) in self.bound

    def listener_for(self, family, address):
        if family == AF_UNIX:
            ep = self.bound.get((AF_UNIX, address))
        else:
            host, port = address[0], address[1]
            ep = self.bound.get((family, host, port)) or \
                self.bound.get((family, _WILDCARD[family], port))
        return ep if ep is not None and ep.state == "listening" else None

    def connect(self, ep, address):
        """Starts connecting ``ep`` to ``address``; its outcome comes a round trip later."""
        if ep.state == "connecting":
            raise OSError(linux.EALREADY, "Operation already in progress")
        if ep.state in ("connected", "listening"):
            raise OSError(linux.EISCONN, "Transport endpoint is already connected")
        family = ep.family
        if family == AF_UNIX:
            target = address.decode() if isinstance(address, bytes) else str(address)
            if ep.local is None:
                ep.local = ""
            client_host = server_host = None
            server_label = target
        else:
            host, port = _split(family, address)
            host = self.address_of(host) if host else ("127.0.0.1" if family == AF_INET else "::1")
            target = (host, port, 0, 0) if family == AF_INET6 else (host, port)
            if ep.local is None:
                if is_loopback(host):
                    mine = host if family == AF_INET else "::1"
                else:
                    mine = THIS_HOST if family == AF_INET else THIS_HOST6
                self.bind(ep, (mine, 0))
            client_host, server_host = ep.local[0], host
            server_label = self.label(family, target)
        conn = Connection(self, next(self.cids), ep, family,
                          self.latency_between(client_host, server_host),
                          self.bandwidth_between(client_host, server_host),
                          ep.label() or "(unnamed)", server_label)
        ep.conn = conn
        ep.side = "client"
        ep.peer = target
        ep.state = "connecting"
        emit("connect", conn.cid, conn.client_label, conn.server_label, conn.latency)
        self.at(now() + conn.latency, self._syn_arrives, conn, target)

    # The handshake: SYN at one latency, SYN-ACK back at two (the client is connected), the
    # last ACK at three (the server's listener has it ready for accept()).
    def _syn_arrives(self, conn, target):
        listener = self.listener_for(conn.family, target)
        if listener is None:
            self.at(now() + conn.latency, self._refused, conn)
            return
        if len(listener.queue) + listener.pending > listener.backlog:
            # The listener's queue is full (more connections than its backlog, none accepted
            # yet): Linux drops the SYN, and the client sends it again after 1 s, 2 s, 4 s …
            # (tcp_syn_retries: 6), then gives up with ETIMEDOUT.
            if conn.retries >= SYN_RETRIES:
                self.at(now() + conn.latency, self._refused, conn, linux.ETIMEDOUT)
            else:
                wait = 2 ** conn.retries
                conn.retries += 1
                self.at(now() + wait, self._syn_arrives, conn, target)
            return
        listener.pending += 1
        server = Endpoint(self, conn.family, SOCK_STREAM, listener.proto)
        server.state = "connected"
        server.local = target if conn.family != AF_UNIX else listener.local
        server.peer = conn.client.local
        server.conn = conn
        server.side = "server"
        conn.server = server
        self.at(now() + conn.latency, self._established, conn)
        self.at(now() + 2 * conn.latency, self._queued, conn, listener)

    def _refused(self, conn, errno=linux.ECONNREFUSED):
        """The connection attempt failed (refused, or with ``errno`` ETIMEDOUT, timed out): the
        client's connect() reports it, as Linux does, through SO_ERROR."""
        client = conn.client
        if client.closed:
            return
        client.err = errno
        client.state = "new"
        emit("refused", conn.cid)
        client.poke()

    def _established(self, conn):
        client = conn.client
        if client.closed:
            return
        client.state = "connected"
        emit("established", conn.cid)
        client.poke()

    def _queued(self, conn, listener):
        listener.pending -= 1
        if listener.state != "listening" or listener.closed:
            self._send_reset(conn, "server")
            return
        listener.queue.append(conn.server)
        listener.poke()

    def accept(self, listener):
        """The oldest connection waiting on a listener, given a descriptor of its own."""
        if listener.state != "listening":
            raise OSError(linux.EINVAL, "Invalid argument")
        if not listener.queue:
            raise BlockingIOError(linux.EAGAIN, "Resource temporarily unavailable")
        ep = listener.queue.pop(0)
        self.give_fd(ep)
        emit("accept", ep.conn.cid, listener.sid)
        return ep

    # -- bytes ----------------------------------------------------------------------------
    def send(self, ep, data):
        """Puts up to the free room of ``data`` on the wire; returns how many bytes."""
        self.settle()
        if ep.reset:
            raise _reset_seen(ep)
        if ep.shut_wr:
            raise BrokenPipeError(linux.EPIPE, "Broken pipe")
        if ep.state != "connected":
            raise OSError(linux.ENOTCONN, "Transport endpoint is not connected")
        pipe = ep.conn.pipe_from(ep.side)
        room = WINDOW - pipe.outstanding
        size = len(data)
        if size == 0:
            return 0
        if room <= 0:
            raise BlockingIOError(linux.EAGAIN, "Resource temporarily unavailable")
        if size > room:
            size = room
        chunk = bytes(data[:size]) if size < len(data) or not isinstance(data, bytes) else data
        pipe.outstanding += size
        pipe.sent += size
        conn = ep.conn
        pieces = [chunk] if conn.bandwidth is None else \
            [chunk[i:i + SEGMENT] for i in range(0, size, SEGMENT)]
        arrivals = [pipe.arrival(len(piece)) for piece in pieces]
        preview = repr(chunk[:PREVIEW]) + ("…" if size > PREVIEW else "")
        emit("send", conn.cid, ep.side, size, arrivals[-1], preview)
        for piece, when in zip(pieces, arrivals):
            self.at(when, self._arrive, pipe, piece)
        return size

    def _arrive(self, pipe, piece):
        dst = pipe.conn.endpoint(pipe.to)
        if dst is None or dst.reset:
            return
        if dst.closed:
            # Data for a socket that is closed: its kernel answers with a reset.
            self._send_reset(pipe.conn, pipe.to)
            return
        dst.rbuf += piece
        emit("arrive", pipe.conn.cid, pipe.to, len(piece), 0)
        dst.poke()

    def recv(self, ep, size):
        """Up to ``size`` bytes of what has arrived; b'' once the peer has finished."""
        self.settle()
        rbuf = ep.rbuf
        if rbuf:
            if size >= len(rbuf):
                data = bytes(rbuf)
                rbuf.clear()
            else:
                data = bytes(rbuf[:size])
                del rbuf[:size]
            conn = ep.conn
            pipe = conn.pipe_from(_other(ep.side))
            pipe.read += len(data)
            emit("recv", conn.cid, ep.side, len(data))
            # The room it frees reaches the sender with the next packet back.
            self.at(now() + conn.latency, self._room, pipe, len(data))
            return data
        if ep.reset:
            if ep.conn is not None:
                emit("recv", ep.conn.cid, ep.side, 0)
            raise _reset_seen(ep)
        if ep.eof:
            if not ep.eof_read and ep.conn is not None:
                ep.eof_read = True
                emit("recv", ep.conn.cid, ep.side, 0)  # its program has read the end of data
            return b""
        if ep.state != "connected":
            raise OSError(linux.ENOTCONN, "Transport endpoint is not connected")
        raise BlockingIOError(linux.EAGAIN, "Resource temporarily unavailable")

    def _room(self, pipe, size):
        pipe.outstanding -= size
        src = pipe.conn.endpoint(pipe.frm)
        if src is not None:
            src.poke()

    def shutdown_write(self, ep):
        """No more bytes from ``ep``: an end-of-data mark follows what it already sent."""
        if ep.state != "connected":
            raise OSError(linux.ENOTCONN, "Transport endpoint is not connected")
        if ep.shut_wr:
            return
        ep.shut_wr = True
        conn = ep.conn
        emit("shutdown", conn.cid, ep.side)
        pipe = conn.pipe_from(ep.side)
        self.at(pipe.arrival(0), self._fin_arrives, pipe)
        ep.poke()

    def _fin_arrives(self, pipe):
        dst = pipe.conn.endpoint(pipe.to)
        if dst is None or dst.closed or dst.eof:
            return
        dst.eof = True
        emit("arrive", pipe.conn.cid, pipe.to, 0, 1)
        dst.poke()

    def _send_reset(self, conn, frm):
        """``frm``'s kernel answers with a reset, which reaches the other side a latency later."""
        to = _other(frm)
        pipe = conn.pipe_from(frm)
        self.at(max(now() + conn.latency, pipe.last_arrival), self._reset_arrives, conn, to)

    def _reset_arrives(self, conn, to):
        ep = conn.endpoint(to)
        if ep is None or ep.closed or ep.reset:
            return
        if ep.state == "connecting":
            self._refused(conn)
            return
        ep.reset = True
        emit("reset", conn.cid, to)
        ep.poke()

    def close(self, ep):
        """The socket is closed: its descriptor and address are free, and its peer hears a FIN
        after what is on its way (or a reset, when bytes it never read are left: as Linux)."""
        if ep.closed:
            return
        state = ep.state
        if ep.selector is not None:
            ep.selector.forget(ep)
        ep.closed = True
        if self.fds.get(ep.fd) is ep:
            del self.fds[ep.fd]
        ep.fd = -1
        self.unbind(ep)
        ep.state = "closed"
        if state == "listening":
            emit("unlisten", ep.sid)
            for waiting in ep.queue:  # accepted by the kernel, never by the program
                self._close_unaccepted(waiting)
            ep.queue = []
        elif ep.conn is not None and state in ("connected", "connecting"):
            conn = ep.conn
            emit("close", conn.cid, ep.side)
            if state == "connecting":
                return
            if ep.rbuf or ep.reset:
                ep.rbuf.clear()
                self._send_reset(conn, ep.side)
            elif not ep.shut_wr:
                ep.shut_wr = True
                pipe = conn.pipe_from(ep.side)
                self.at(pipe.arrival(0), self._fin_arrives, pipe)

    def _close_unaccepted(self, ep):
        ep.closed = True
        ep.state = "closed"
        self._send_reset(ep.conn, "server")


def _reset_seen(ep):
    """A reset is reported once (ECONNRESET); the socket then reads as ended and cannot send
    (EPIPE), as on Linux."""
    ep.reset = False
    ep.eof = True
    ep.shut_wr = True
    return ConnectionResetError(linux.ECONNRESET, "Connection reset by peer")


def _other(side):
    return "server" if side == "client" else "client"


def _numeric(host):
    """Is ``host`` an IPv4 or IPv6 address (not a name)?"""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def inet_pton(family, host):
    """socket.inet_pton, IPv6 included (Pyodide's refuses AF_INET6: "IPv6 is disabled")."""
    try:
        if family == AF_INET6:
            return ipaddress.IPv6Address(host).packed
        if family == AF_INET:
            return ipaddress.IPv4Address(host).packed
    except ValueError:
        raise OSError("illegal IP address string passed to inet_pton") from None
    raise OSError(linux.EAFNOSUPPORT, "Address family not supported by protocol")


def _port_number(port):
    if port is None or port == "" or port == b"":
        return 0
    if isinstance(port, bytes):
        port = port.decode()
    if isinstance(port, str):
        if port.isdigit():
            return int(port)
        if port in _SERVICES:
            return _SERVICES[port]
        raise _gaierror(-8, "Servname not supported for ai_socktype")
    if isinstance(port, int):
        return port
    raise TypeError("getaddrinfo() argument 2 must be integer or string")


def _split(family, address):
    """(host, port) of an AF_INET/AF_INET6 address tuple, checked as CPython checks it."""
    if not isinstance(address, tuple) or len(address) < 2:
        what = "AF_INET6" if family == AF_INET6 else "AF_INET"
        raise TypeError(f"{what} address must be tuple, not {type(address).__name__}")
    host, port = address[0], address[1]
    if isinstance(host, bytes):
        host = host.decode("idna")
    if not isinstance(host, str):
        raise TypeError(f"str, bytes or bytearray expected, not {type(host).__name__}")
    if not isinstance(port, int) or isinstance(port, bool):
        raise TypeError(f"'{type(port).__name__}' object cannot be interpreted as an integer")
    if not 0 <= port <= 65535:
        raise OverflowError("port must be 0-65535.")
    return host, port


# -- one network per run ----------------------------------------------------------------

_current = [None, None]  # [weak reference to the run's Recorder (or None), its Network]


def run_network():
    """The network of the run in progress if the run has made one, else None (none is made
    to answer: a program that never opened a socket has none)."""
    rec = current.recorder
    owner, net = _current
    if net is None or (owner() if owner is not None else None) is not rec or \
            (owner is None) != (rec is None):
        return None
    return net


def network():
    """The network of the run in progress (a fresh one for every run)."""
    net = run_network()
    if net is None:
        rec = current.recorder
        net = Network()
        _current[0] = weakref.ref(rec) if rec is not None else None
        _current[1] = net
    return net


def reset():
    """Forget the network (an untraced run ends: its sockets go with its process)."""
    _current[0] = _current[1] = None
