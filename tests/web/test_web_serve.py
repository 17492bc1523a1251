"""How `newsdesk serve` listens: the socket handed to uvicorn's worker processes."""

from __future__ import annotations

import asyncio
import socket

from ..conftest import unavailable

try:
    import uvicorn  # noqa: F401  (what `newsdesk serve` runs)
except ImportError:
    unavailable("uvicorn is not installed (pip install 'newsdesk[web]')")

from newsdesk.web.serve import tcp_socket


async def _nodelay_of_accepted(listener: socket.socket) -> int:
    """Accept one connection on ``listener`` through asyncio (as uvicorn's workers do) and read
    TCP_NODELAY from the accepted socket."""
    seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(on_connect, sock=listener)
    async with server:
        port = listener.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        value = await asyncio.wait_for(seen, 10)
        writer.close()
    return value


def _bound(proto: int) -> socket.socket:
    # As uvicorn's Config.bind_socket makes it for --workers N: protocol 0 unless told otherwise.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def test_worker_socket_gets_tcp_nodelay() -> None:
    """Without TCP_NODELAY every keep-alive response waits for the client's delayed ACK (~40 ms)."""
    sock = tcp_socket(_bound(0))
    assert sock.proto == socket.IPPROTO_TCP
    assert sock.get_inheritable(), "worker processes inherit the listening socket"
    assert asyncio.run(_nodelay_of_accepted(sock)) != 0


def test_tcp_socket_keeps_the_listening_socket() -> None:
    sock = _bound(0)
    address = sock.getsockname()
    again = tcp_socket(sock)
    assert again.getsockname() == address
    assert again.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1
    again.close()
    already = _bound(socket.IPPROTO_TCP)
    assert tcp_socket(already) is already
    already.close()
