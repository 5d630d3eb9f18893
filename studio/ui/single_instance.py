"""One desktop studio per workspace: a second one brings the first to the front, or says why not.

Two studios on one workspace would each keep their own view of the same store (undo stacks,
text waiting for its autosave, optimistic edits) and write it at once. So the desktop takes
the workspace's lock (a ``QLockFile`` in its data folder) before it opens the store, and holds
it while it runs. The lock file names the process that holds it; a lock left by a process that
is gone (a crash, a power cut) is taken over, never a live one's.

The studio holding the lock listens on a local socket (``QLocalServer``) whose name is derived
from the workspace's path (and the user), so a second studio started on the same workspace,
from the launcher say, finds it: it asks it to come to the front and, once the first answers,
ends quietly. A first studio that holds the lock but does not answer (hung, or stopped in a
debugger) gets a clear refusal instead: the second never opens the store.

The request is one line, ``raise``, answered by ``ok``: small enough to read in one go.

Start-up order: ``claim`` takes the lock only (``QLockFile`` is QtCore), before any store is
opened; ``listen`` opens the socket once the window has painted (the app calls it then).
QtNetwork is imported by ``listen`` and by a second studio's ``ask_to_raise``, never before
the first paint: importing it was ~10 ms of a 300 ms start-up budget. So a second studio may
call a first that holds the lock but does not listen yet: ``ask_to_raise`` keeps calling until
its timeout, which the first's start-up fits in many times over.
"""

from __future__ import annotations

import enum
import logging
import time
from functools import cached_property
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QLockFile, QObject, QTimer, Signal

from studio.system.paths import Paths

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_NAME = "desktop.lock"
REQUEST = b"raise\n"
ANSWER = b"ok\n"
ANSWER_TIMEOUT_MS = 3000
#: How often a second studio calls again a first that does not listen yet.
RETRY_MS = 50


class Claim(enum.Enum):
    """What ``SingleInstance.claim`` found."""

    #: This studio holds the workspace: it opens the store and listens for a second one.
    FIRST = "first"
    #: Another studio holds it and came to the front: this one ends.
    RAISED = "raised"
    #: Another studio holds it and does not answer: this one refuses to start.
    NO_ANSWER = "no-answer"


def server_name(paths: Paths) -> str:
    """The local socket's name for the workspace at ``paths`` (short: a socket path is)."""
    # Imported here: hashlib loads OpenSSL, and the name is only needed after the first paint.
    import getpass
    import hashlib

    key = f"{getpass.getuser()}\0{paths.data.resolve()}".encode()
    return "vitrine-studio-" + hashlib.sha256(key).hexdigest()[:24]


def ask_to_raise(name: str, timeout_ms: int = ANSWER_TIMEOUT_MS) -> bool:
    """Ask the studio listening on ``name`` to come to the front; True once it answered.

    It waits in a local event loop (it runs before the application's), so the studio that
    answers may even be in this process (the tests). A studio that holds the lock may not
    listen yet (it opens its socket after its first paint): while nothing listens on ``name``
    it is called again every ``RETRY_MS`` until ``timeout_ms`` have passed."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    loop = QEventLoop()
    answer = bytearray()
    deadline = time.monotonic() + timeout_ms / 1000
    retry = QTimer()
    retry.setSingleShot(True)
    retry.setInterval(RETRY_MS)
    not_there = (
        QLocalSocket.LocalSocketError.ServerNotFoundError,
        QLocalSocket.LocalSocketError.ConnectionRefusedError,
    )

    def read() -> None:
        answer.extend(bytes(socket.readAll().data()))
        if answer.endswith(b"\n"):
            loop.quit()

    def failed(error: QLocalSocket.LocalSocketError) -> None:
        if error in not_there and time.monotonic() + RETRY_MS / 1000 < deadline:
            retry.start()  # not listening yet: call again shortly
        else:
            loop.quit()

    def call() -> None:
        socket.abort()
        socket.connectToServer(name)

    socket.connected.connect(lambda: socket.write(REQUEST))
    socket.readyRead.connect(read)
    socket.errorOccurred.connect(failed)
    socket.disconnected.connect(loop.quit)
    retry.timeout.connect(call)
    QTimer.singleShot(timeout_ms, loop.quit)
    QTimer.singleShot(0, call)
    loop.exec()
    retry.stop()
    socket.abort()
    return bytes(answer) == ANSWER


class SingleInstance(QObject):
    """The workspace's lock and, while this studio holds it, the socket a second one calls."""

    #: A second studio on this workspace asked this one to come to the front.
    raise_requested = Signal()

    def __init__(self, paths: Paths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._paths = paths
        self.lock_path = paths.data / LOCK_NAME
        self._lock = QLockFile(str(self.lock_path))
        # Only a dead holder makes the lock stale, never its age: a studio may run for weeks.
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None

    @cached_property
    def name(self) -> str:
        """The local socket's name (``server_name``), made when first needed."""
        return server_name(self._paths)

    def claim(self, timeout_ms: int = ANSWER_TIMEOUT_MS) -> Claim:
        """Take the workspace, or ask the studio that has it to come to the front.

        Taking it does not listen yet: call ``listen`` (the app does after its first paint)."""
        if self._lock.tryLock(0):
            return Claim.FIRST
        if ask_to_raise(self.name, timeout_ms):
            log.info("the studio already open on %s came to the front", self.lock_path.parent)
            return Claim.RAISED
        # The holder may have quit while it was being called (a stale lock is taken over).
        if self._lock.tryLock(0):
            return Claim.FIRST
        log.error("a studio holds %s but does not answer", self.lock_path)
        return Claim.NO_ANSWER

    def holder(self) -> int | None:
        """The process id written in the lock file (the studio holding the workspace)."""
        info = self._lock.getLockInfo()  # (pid, host, app); pid 0 when unreadable
        pid = int(info[0]) if isinstance(info, tuple) and info else 0
        return pid if pid > 0 else None

    def listen(self) -> None:
        """Answer a second studio started on this workspace (once ``claim`` took it)."""
        from PySide6.QtNetwork import QLocalServer

        if self._server is not None or not self._lock.isLocked():
            return
        # A socket file left by a studio that crashed would refuse the name: we hold the
        # lock, so no live studio owns it.
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # The lock still keeps a second studio off the store; it then says it cannot
            # reach this one instead of bringing it to the front.
            log.warning("cannot listen on %s: %s", self.name, server.errorString())
            return
        server.newConnection.connect(self._connected)
        self._server = server

    def _connected(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        if bytes(socket.readLine().data()) == REQUEST:
            log.info("another studio was started on this workspace: coming to the front")
            self.raise_requested.emit()
            socket.write(ANSWER)
            socket.flush()
        socket.disconnectFromServer()

    def release(self) -> None:
        """Stop listening and give the workspace up (on quitting)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()
