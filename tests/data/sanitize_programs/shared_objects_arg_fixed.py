"""multiprocessing's own Lock, Queue and Value handed to a Process: they pickle for a child of any method."""

from multiprocessing import Lock, Process, Queue, Value


def work(lock, queue, counter):
    with lock:
        counter.value += 1
    queue.put(counter.value)


if __name__ == "__main__":
    lock, queue, counter = Lock(), Queue(), Value("i", 0)
    p = Process(target=work, args=(lock, queue, counter))
    p.start()
    print(queue.get(timeout=30))
    p.join()
