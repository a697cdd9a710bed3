"""How far away the hosts of Loop Lab's virtual network are.

A program imports this as ``looplab.net`` (only Loop Lab has it)::

    import asyncio
    import looplab.net

    looplab.net.latency("db.example", 0.150)    # 150 ms each way to db.example

Loop Lab's network is virtual and runs on the virtual clock. Loopback (``127.0.0.1``,
``localhost``, ``::1``) costs no time unless a program says otherwise, as on a real machine
where it costs microseconds. Any other host name (``db.example``, ``shop.example``) is a
made-up host of its own, ``DEFAULT_LATENCY`` (20 ms) away each way; a server can listen on it
and clients connect to it, all in one program. A connection's latency and bandwidth are fixed
when it connects, from both ends' hosts (the larger latency, the smaller bandwidth); setting
them on a connection itself changes them from then on.

A program that should also run under plain ``python3`` guards the import::

    try:
        import looplab.net
    except ImportError:      # plain Python: a real network, real distances
        pass
"""

import math

from . import network as _network
from .vsocket import endpoint_of

DEFAULT_LATENCY = _network.DEFAULT_LATENCY

__all__ = ["latency", "bandwidth", "DEFAULT_LATENCY"]

_NOT_GIVEN = object()


def _where(where, what):
    """A host's address, or a connection, from what the program passed."""
    if isinstance(where, (str, bytes)):
        return _network.network().address_of(where), None
    ep = endpoint_of(where)
    if ep is None or ep.conn is None:
        raise TypeError(f"{what}() takes a host name (such as 'db.example') or a connection "
                        f"(a StreamWriter or a transport), not {type(where).__name__}")
    return None, ep.conn


def _seconds(value, what, top):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value) or value < 0 or value > top:
        raise ValueError(f"{what} must be between 0 and {top:g}, not {value!r}")
    return value


def latency(where, seconds=_NOT_GIVEN):
    """Sets (or, with one argument, returns) the one-way latency, in seconds, of a host's
    connections made from now on, or of one connection (a StreamWriter or a transport).

    Raises TypeError for something that is neither, ValueError for a latency outside
    0–3600 s, socket.gaierror for a name that cannot resolve (``*.invalid``)."""
    net = _network.network()
    host, conn = _where(where, "latency")
    if seconds is _NOT_GIVEN:
        if conn is not None:
            return conn.latency
        return net.latency_between(None, host)
    seconds = _seconds(seconds, "latency", 3600)
    if conn is not None:
        conn.latency = seconds
    else:
        net.latencies[host] = seconds
    return None


def bandwidth(where, bytes_per_second=_NOT_GIVEN):
    """Sets (or, with one argument, returns) the bandwidth, in bytes a second, of a host's
    connections made from now on, or of one connection; None means unlimited (the default).

    A write then takes its size / bandwidth to leave, on top of the latency, and a big one
    arrives in pieces of 64 KiB."""
    net = _network.network()
    host, conn = _where(where, "bandwidth")
    if bytes_per_second is _NOT_GIVEN:
        if conn is not None:
            return conn.bandwidth
        return net.bandwidth_between(None, host)
    if bytes_per_second is not None:
        bytes_per_second = _seconds(bytes_per_second, "bandwidth", 1e15)
        if bytes_per_second == 0:
            raise ValueError("bandwidth must be more than 0 (None: unlimited)")
    if conn is not None:
        conn.bandwidth = bytes_per_second
    elif bytes_per_second is None:
        net.bandwidths.pop(host, None)
    else:
        net.bandwidths[host] = bytes_per_second
    return None


def install():
    """``import looplab.net`` finds this module (a package ``looplab`` holding it)."""
    import sys
    import types

    package = types.ModuleType("looplab", "Loop Lab's helpers for programs (only in Loop Lab).")
    package.__path__ = []
    package.__package__ = "looplab"
    module = sys.modules[__name__]
    module.__name__ = "looplab.net"
    module.__package__ = "looplab"
    package.net = module
    sys.modules["looplab"] = package
    sys.modules["looplab.net"] = module
