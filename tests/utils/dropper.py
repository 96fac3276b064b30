"""Cut a PostgreSQL connection mid-transaction, as a network fault or a server restart would."""

from __future__ import annotations

from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import make_url

from nominations.db.engine import Database


class Dropper:
    """Terminates the backend of the engine's own connection just before a chosen statement.

    The server really ends the session (`pg_terminate_backend`), so the statement meets a dead
    connection and the transaction is rolled back by the server: nothing is simulated in-process.
    `at` is a fragment of SQL ("FROM audithead"), or "COMMIT" to cut the connection as it commits.
    """

    def __init__(self, db: Database, at: str, times: int = 1) -> None:
        self.db, self.at, self.times, self.dropped = db, at, times, 0
        url = make_url(db.url)
        self.admin = url.set(drivername="postgresql").render_as_string(hide_password=False)

    def __enter__(self) -> Dropper:
        if self.at == "COMMIT":
            event.listen(self.db.engine, "commit", self._on_commit)
        else:
            event.listen(self.db.engine, "before_cursor_execute", self._on_execute)
        return self

    def __exit__(self, *_: object) -> None:
        if self.at == "COMMIT":
            event.remove(self.db.engine, "commit", self._on_commit)
        else:
            event.remove(self.db.engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self.at in statement:
            self._cut(conn)

    def _on_commit(self, conn: Any) -> None:
        self._cut(conn)

    def _cut(self, conn: Any) -> None:
        if self.dropped >= self.times:
            return
        self.dropped += 1
        pid = conn.connection.dbapi_connection.info.backend_pid
        with psycopg.connect(self.admin, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            # Wait until the backend is gone, so the statement cannot slip through first.
            while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
                pass
