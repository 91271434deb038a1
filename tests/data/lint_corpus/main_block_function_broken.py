"""Modelled on microsoft/vscode-jupyter#12485 and ctralie/FaceJam#2: a Pool task defined inside the main
block; spawn workers fail with "Can't get attribute 'get_dist' on <module '__mp_main__'>"."""

from multiprocessing import Pool

if __name__ == "__main__":

    def get_dist(pair):
        a, b = pair
        return abs(a - b)

    pairs = [(1, 5), (2, 9)]
    with Pool(4) as pool:
        print(pool.map(get_dist, pairs))  # lint: MP101
