"""Modelled on a comment in python/cpython#3895: code moved from the main block into a main() function for
a console_scripts entry point; the executor's task became a local function and the program hung."""

from concurrent.futures import ProcessPoolExecutor


def main():
    items = range(10)
    with ProcessPoolExecutor() as executor:

        def process_item(item):
            return item * 2

        results = list(executor.map(process_item, items))  # lint: MP101
    print(results)


if __name__ == "__main__":
    main()
