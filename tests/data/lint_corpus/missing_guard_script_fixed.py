"""Fixed twin of missing_guard_script_broken.py: the call is under the main guard."""

from multiprocessing import Pool


def extract(sample):
    return sample * 2


def extract_all(samples, cpus=2):
    with Pool(cpus) as pool:
        return pool.map(extract, samples)


if __name__ == "__main__":
    print(extract_all([1, 2, 3]))
