"""Modelled on SigProfilerSuite/SigProfilerExtractor#121 and hassan-mahmood/TIES_DataGeneration#13: a
script that calls its parallel entry point at module level; on Windows: "An attempt has been made to start
a new process before the current process has finished its bootstrapping phase"."""

from multiprocessing import Pool


def extract(sample):
    return sample * 2


def extract_all(samples, cpus=2):
    with Pool(cpus) as pool:
        return pool.map(extract, samples)


results = extract_all([1, 2, 3])  # lint: MP102
print(results)
