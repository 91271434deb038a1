"""Fixed twin of set_start_method_import_time_broken.py: the method is set once, under the guard."""

import multiprocessing as mp


def analyze(video):
    return video.upper()


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Pool(2) as pool:
        print(pool.map(analyze, ["a", "b"]))
