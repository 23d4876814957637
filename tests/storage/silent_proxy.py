"""A TCP proxy that can go silent: the database "stops answering" without closing anything.

It forwards 127.0.0.1:<port> to a target (a real PostgreSQL). ``silence()``
holds every byte in both directions, on open and new connections, exactly
as a hung server or a network partition does: the connection stays up and
nothing comes back. ``resume()`` lets held and later bytes through again.
With no target it is a port that accepts and never answers.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType


class SilentProxy:
    """``with SilentProxy(("127.0.0.1", 5432)) as proxy: ... proxy.port ... proxy.silence()``."""

    def __init__(self, target: tuple[str, int] | None = None) -> None:
        self._target = target
        self._open = threading.Event()
        self._open.set()
        if target is None:
            self._open.clear()
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self._closed = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def silence(self) -> None:
        self._open.clear()

    def resume(self) -> None:
        self._open.set()

    def __enter__(self) -> SilentProxy:
        self._spawn(self._accept)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._closed = True
        self._open.set()  # let held pumps run into their closed sockets and end
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
        for thread in self._threads:
            thread.join(5)

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._sockets.append(client)
            if self._target is None:
                continue  # accepted, never answered
            upstream = socket.create_connection(self._target)
            with self._lock:
                self._sockets.append(upstream)
            self._spawn(self._pump, client, upstream)
            self._spawn(self._pump, upstream, client)

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                self._open.wait()  # silent: hold what came in, answer nothing
                if not data or self._closed:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
