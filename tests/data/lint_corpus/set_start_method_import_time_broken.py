"""Modelled on DeepLabCut/DeepLabCut#1362: set_start_method('spawn') at module level; every spawn child
re-imports the script and calls it again: "RuntimeError: context has already been set"."""

import multiprocessing as mp

mp.set_start_method("spawn")  # lint: MP113


def analyze(video):
    return video.upper()


if __name__ == "__main__":
    with mp.Pool(2) as pool:
        print(pool.map(analyze, ["a", "b"]))
