"""``news-search serve``: the HTTP API (``search.http``) on uvicorn, over one warm index.

FastAPI and uvicorn are imported inside the command, so ``news-search --help`` never loads them.
It binds the loopback interface unless ``--host`` names another, and then says so on stderr.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from search.cli.options import IndexOption, index_dir

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name) is reachable only from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_of(host: str, port: int) -> str:
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(
    index: IndexOption = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; anything but loopback lets other machines in.")
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = DEFAULT_PORT,
) -> None:
    """Serve the HTTP API (JSON, as --json prints it) over one warm index, read-only."""
    import uvicorn

    from search.http.app import create_app

    location = index_dir(index)
    if not is_loopback(host):
        typer.echo(f"news-search: warning: listening on {host}, not loopback: other machines can query this index", err=True)
    server = uvicorn.Server(uvicorn.Config(create_app(location), host=host, port=port, log_level="warning"))
    typer.echo(f"news-search: serving {location} at {url_of(host, port)} (API under /api, docs at /docs; Ctrl-C stops)")
    server.run()
