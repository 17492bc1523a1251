"""Starting the server: uvicorn on the configured address, one process or several workers.

Apart from the app because it is the one part that starts processes and binds sockets, and holds
a workaround (``tcp_socket``) that has nothing to do with building the app; ``newsdesk serve`` is
its only caller. uvicorn is imported when the server starts, not when this module is.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from ..config import Config
from .app import create_app


def run_server(config: Config, *, access_log: bool = True, config_file: str | None = None) -> None:
    """Serve ``config``'s store with uvicorn on ``web_host``:``web_port`` until Ctrl-C.

    With ``web_workers`` > 1 each worker process builds its own app (``app_from_settings``) from
    NEWSDESK_* variables, and the listening socket is bound here, re-made with ``IPPROTO_TCP`` as
    its protocol. Why: uvicorn 0.54 binds it with protocol 0, accepted sockets inherit that, and
    asyncio then never sets TCP_NODELAY on them, so Nagle's algorithm holds every keep-alive
    response until the client's delayed ACK, about 40 ms (uvicorn issue #3149; bench/RESULTS.md,
    "Web"). A single worker lets asyncio create the socket, which is already right.
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    common: dict[str, Any] = {
        "host": config.web_host,
        "port": config.web_port,
        "access_log": access_log,
        "log_level": "info" if access_log else "warning",
        "proxy_headers": False,
    }
    if config.web_workers <= 1:
        uvicorn.run(create_app(config), **common)
        return
    os.environ["NEWSDESK_DB"] = config.db
    if config_file:
        os.environ["NEWSDESK_CONFIG"] = config_file
    server_config = uvicorn.Config(
        "newsdesk.web.app:app_from_settings",
        factory=True,
        workers=config.web_workers,
        **common,
    )
    sock = tcp_socket(server_config.bind_socket())
    try:
        Multiprocess(server_config, sockets=[sock]).run()
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()


def tcp_socket(sock: socket.socket) -> socket.socket:
    """``sock`` re-made with ``IPPROTO_TCP`` as its protocol (same descriptor, still inheritable),
    so that asyncio sets TCP_NODELAY on the connections it accepts (see ``run_server``)."""
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto != socket.IPPROTO_TCP:
        sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        sock.set_inheritable(True)
    return sock
