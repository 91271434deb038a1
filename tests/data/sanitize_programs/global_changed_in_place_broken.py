"""The main guard changes a module-level dict in place (not rebinding it); the child reads it: a spawn or
forkserver child re-imports the script and sees the dict as its import left it."""

from multiprocessing import Process

SETTINGS = {"retries": 1}


def work():
    print("retries", SETTINGS["retries"])


if __name__ == "__main__":
    SETTINGS["retries"] = 5  # sanitize: MP103
    p = Process(target=work)
    p.start()
    p.join()
