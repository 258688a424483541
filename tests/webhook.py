"""A local stand-in for an integrator's webhook endpoint (loopback only): it keeps what it
receives and answers after `delay` seconds, so a slow or hanging integrator can be played."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Receiver:
    url: str = ""
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    def signed_with(self, secret: bytes, index: int = 0) -> bool:
        headers, body = self.received[index]
        expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(headers["x-pk-signature"], expected)


@contextmanager
def webhook_receiver(delay: float = 0.0) -> Iterator[Receiver]:
    receiver = Receiver()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            receiver.arrived.set()
            time.sleep(delay)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    server.daemon_threads, server.block_on_close = True, False  # a hanging answer is not waited for
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_port}/hook"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
