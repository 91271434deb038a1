"""local_process_class_broken's local Process subclass, made from a context the program pins to fork
(``get_context("fork").Process``): a fork start pickles nothing, so its class is never looked up by name."""

import multiprocessing


def main():
    ctx = multiprocessing.get_context("fork")

    class Echo(ctx.Process):
        def run(self):
            print("child ran")

    p = Echo()
    p.start()
    p.join()
    print("exitcode", p.exitcode)


if __name__ == "__main__":
    if "fork" in multiprocessing.get_all_start_methods():
        main()
