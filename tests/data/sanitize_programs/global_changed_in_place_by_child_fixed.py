"""The twin of global_changed_in_place_broken: the child is handed the settings and applies them itself
before it reads them, so every method agrees."""

from multiprocessing import Process

SETTINGS = {"retries": 1}


def work(settings):
    SETTINGS.update(settings)
    print("retries", SETTINGS["retries"])


if __name__ == "__main__":
    SETTINGS["retries"] = 5
    p = Process(target=work, args=(dict(SETTINGS),))
    p.start()
    p.join()
