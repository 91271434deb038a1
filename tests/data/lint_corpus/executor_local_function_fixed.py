"""Fixed twin of executor_local_function_broken.py: the task is at module level."""

from concurrent.futures import ProcessPoolExecutor


def process_item(item):
    return item * 2


def main():
    with ProcessPoolExecutor() as executor:
        results = list(executor.map(process_item, range(10)))
    print(results)


if __name__ == "__main__":
    main()
