"""A producer puts 0..4 on a Queue; after it joins, the parent puts a None sentinel; a consumer drains it.

Nothing diverges between start methods: the Queue is handed to both children as a Process argument,
items come out in the order the single producer put them, and the sentinel, put only after the
producer has been joined, is the last item the consumer sees.
"""

from multiprocessing import Process, Queue

from mpcheck.expect import Expect
from mpcheck.facts import report

COUNT = 5

EXPECT = Expect(
    facts={
        "received": list(range(COUNT)),
        "exitcodes": [0, 0],
    }
)


def producer(queue):
    for item in range(COUNT):
        queue.put(item)


def consumer(queue, received):
    seen = []
    while True:
        item = queue.get()
        if item is None:
            break
        print(f"consumer got {item}")
        seen.append(item)
    received.put(seen)


if __name__ == "__main__":
    queue = Queue()
    received = Queue()
    prod = Process(target=producer, args=(queue,))
    cons = Process(target=consumer, args=(queue, received))
    cons.start()
    prod.start()
    prod.join()
    queue.put(None)  # the producer is done: tell the consumer to stop
    seen = received.get(timeout=30)
    cons.join()

    report(received=seen, exitcodes=[prod.exitcode, cons.exitcode])
