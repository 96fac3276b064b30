"""Run the web app with uvicorn in a background thread on loopback (the demo and the tests)."""

from __future__ import annotations

import threading
import time
from types import TracebackType

import uvicorn
from fastapi import FastAPI

from nominations.mail.capture import free_port


class BackgroundServer:
    """A real HTTP server for `app` on 127.0.0.1; use as a context manager."""

    def __init__(self, app: FastAPI, port: int | None = None) -> None:
        self.port = port or free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:  # startup takes milliseconds; bounded so a failure surfaces
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"the web server did not start on port {self.port}")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
