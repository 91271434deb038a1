"""local_process_class_broken's Process subclass at module level: spawn and forkserver pickle the process
object with its class by name, which a child finds by importing the script as __mp_main__."""

import multiprocessing


class Echo(multiprocessing.Process):
    def run(self):
        print("child ran")


def main():
    p = Echo()
    p.start()
    p.join()
    print("exitcode", p.exitcode)


if __name__ == "__main__":
    main()
