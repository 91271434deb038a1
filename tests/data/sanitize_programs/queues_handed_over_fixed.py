"""The fix of queues_made_at_import_broken.py: the queues are made in the main block and handed to the
worker; a Pool's workers get their lock through the initializer, which sets the module's global."""

import multiprocessing

lock = None


def init(shared):
    global lock
    lock = shared


def task(n):
    with lock:
        return n * n


def process_packets(count, packet_queue, feature_queue):
    for _ in range(count):
        pkt = packet_queue.get(timeout=30)
        feature_queue.put(len(pkt))


if __name__ == "__main__":
    packet_queue = multiprocessing.Queue()
    feature_queue = multiprocessing.Queue()
    for pkt in (b"abc", b"de"):
        packet_queue.put(pkt)
    worker = multiprocessing.Process(target=process_packets, args=(2, packet_queue, feature_queue))
    worker.start()
    print(sorted(feature_queue.get(timeout=30) for _ in range(2)))
    worker.join()
    with multiprocessing.Pool(2, initializer=init, initargs=(multiprocessing.Lock(),)) as pool:
        print(pool.map(task, range(3)))
