"""Queues and a Lock the script makes at import, which its workers use through the module's globals
(Network-intrusion-dataset-creator#1): a fork child has the parent's, a spawn or forkserver child's import
makes its own, and the parent's puts never reach it (MP120)."""

import multiprocessing

packet_queue = multiprocessing.Queue()  # sanitize: MP120
feature_queue = multiprocessing.Queue()  # sanitize: MP120


def process_packets(count):
    for _ in range(count):
        pkt = packet_queue.get(timeout=30)
        feature_queue.put(len(pkt))


if __name__ == "__main__":
    for pkt in (b"abc", b"de"):
        packet_queue.put(pkt)
    worker = multiprocessing.Process(target=process_packets, args=(2,))
    worker.start()
    print(sorted(feature_queue.get(timeout=30) for _ in range(2)))
    worker.join()
