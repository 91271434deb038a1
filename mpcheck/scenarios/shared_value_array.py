"""A child increments a Value('i') and doubles an Array('d'); the parent sees both changes.

``Value`` and ``Array`` live in shared memory that the child receives as a Process argument (inherited
under fork, passed by file descriptor/handle under spawn and forkserver), so the writes are visible in
the parent under every start method.
"""

from multiprocessing import Array, Process, Value

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "value": 1,
        "array": [2.0, 4.0, 6.0, 8.0],
        "exitcode": 0,
    }
)


def work(number, numbers):
    number.value += 1
    for i in range(len(numbers)):
        numbers[i] *= 2


if __name__ == "__main__":
    number = Value("i", 0)
    numbers = Array("d", [1.0, 2.0, 3.0, 4.0])
    p = Process(target=work, args=(number, numbers))
    p.start()
    p.join()
    print(number.value, numbers[:])

    report(value=number.value, array=numbers[:], exitcode=p.exitcode)
