"""The parent monkeypatches a module and fills a class attribute at run time: only fork workers see it.

Programs patch library modules at start-up (``socket.socket`` replaced by an instrumented subclass,
as gevent or a test's ``monkeypatch`` do) and fill class attributes from their configuration, then
hand work to a Pool. A fork worker is a copy of the parent and sees both. A spawn or forkserver
worker imports the modules afresh and sees the originals: the patch and the configuration are
silently gone (pytest-dev/pytest#12045, pytest-dev/pytest#14035; geldata/gel#794). Re-applying both
in the Pool's ``initializer``, which runs in every worker, makes all three methods agree.
"""

import socket
from multiprocessing import Pool

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "worker_socket_class": by_method(fork="CountingSocket", default="socket"),
        "worker_settings": by_method(fork={"retries": 3}, default=None),
        "with_initializer": ["CountingSocket", {"retries": 3}],
    }
)


class CountingSocket(socket.socket):
    opened = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        CountingSocket.opened += 1


class Config:
    settings = None  # filled in at start-up


def apply_patches(settings):
    socket.socket = CountingSocket  # sanitize: MP103
    Config.settings = settings  # sanitize: MP103


def look(_):
    return socket.socket.__name__, Config.settings


if __name__ == "__main__":
    settings = {"retries": 3}
    apply_patches(settings)  # lint: MP103

    with Pool(1) as pool:
        seen = pool.map(look, [0])[0]
    print(f"a plain Pool worker sees socket.socket = {seen[0]}, Config.settings = {seen[1]}")

    with Pool(1, initializer=apply_patches, initargs=(settings,)) as pool:
        fixed = pool.map(look, [0])[0]
    print(f"with the initializer: socket.socket = {fixed[0]}, Config.settings = {fixed[1]}")

    report(worker_socket_class=seen[0], worker_settings=seen[1], with_initializer=list(fixed))
