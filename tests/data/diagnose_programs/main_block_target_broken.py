"""A target defined inside the main block (MP101): spawn and forkserver children cannot find it."""

from multiprocessing import Process

if __name__ == "__main__":

    def work():  # sanitize: MP101
        print("working")

    p = Process(target=work)
    p.start()
    p.join()
    print("child exit code", p.exitcode)
