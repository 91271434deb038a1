"""Fixed twin of class_attribute_config_broken.py: the value travels as an argument."""

from multiprocessing import Pool


def function(some_var):
    return some_var


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(function, [True, True]))
