"""A ProcessPoolExecutor under fork forks all its workers at the first submit; the main guard then changes a
list in place and sends another task that reads it. Under fork the workers hold the list as it was at the
first task, under spawn and forkserver a worker re-imports the script: every method prints 0 twice."""

# needs: spawn-executor

from concurrent.futures import ProcessPoolExecutor

SEEN = []


def work():
    return len(SEEN)


if __name__ == "__main__":
    with ProcessPoolExecutor(2) as executor:
        print(executor.submit(work).result())
        SEEN.append("late")
        print(executor.submit(work).result())
