"""Yleaf#34: module-level sets, ``set()`` on import, filled by the main path from a file; the Pool's tasks read
them, and spawn and forkserver workers see them empty."""

import multiprocessing
import os
import tempfile
from typing import Set

BACKBONE_GROUPS: Set[str] = set()


def read_backbone_groups(path):
    with open(path) as f:
        for line in f:
            BACKBONE_GROUPS.add(line.strip())  # sanitize: MP103


def predict(marker):
    return marker, marker in BACKBONE_GROUPS


if __name__ == "__main__":
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "groups.txt")
    with open(path, "w") as f:
        f.write("A\nB\n")
    read_backbone_groups(path)
    os.remove(path)
    os.rmdir(folder)
    with multiprocessing.Pool(2) as pool:
        print(pool.map(predict, ["A", "C"]))
