"""The timeout an attempt is given, so that the deadline the server sees is never later than the
caller's.

grpcio (gRPC C-core) sends a timeout in the ``grpc-timeout`` header rounded up to a coarse unit
(10 ms between 1 and 10 s, 100 ms up to 100 s, whole seconds above) and measured from a cached
clock, so a call given 4 s can arrive announcing 4.009 s. Giving each attempt what is left less
one such unit keeps the server's deadline within the caller's: the server stops working on a
call no later than the client gives up on it. The cost: a call may end up to one unit (at most
1 %) before the deadline the caller named.
"""

from __future__ import annotations


def header_unit_s(timeout_s: float) -> float:
    """The precision grpcio sends ``timeout_s`` with."""
    if timeout_s < 1:
        return 0.001
    if timeout_s < 10:
        return 0.01
    if timeout_s < 100:
        return 0.1
    return 1.0


def attempt_timeout_s(remaining_s: float) -> float:
    """The timeout to give an attempt with ``remaining_s`` left of the call's deadline."""
    if remaining_s <= 0:
        return 0.0
    return max(remaining_s - header_unit_s(remaining_s), remaining_s / 2)
