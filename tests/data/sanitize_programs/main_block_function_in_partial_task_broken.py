"""openpilot's LogReader.run_across_segments: the user's function, defined in the main block, travels to the
Pool's workers inside the task, ``partial(self._run_on_segment, func)``. It pickles by name, and a spawn or
forkserver worker re-imports the script as __mp_main__, where the main block does not run: "Can't get
attribute", and a Pool's worker that cannot unpickle its task dies and is replaced, so the map waits for ever
(here: 5 seconds) (MP101 where the function is defined)."""

import multiprocessing
from functools import partial


class LogReader:
    def __init__(self, segments):
        self.segments = segments

    def _run_on_segment(self, func, i):
        return func(self.segments[i])

    def run_across_segments(self, func):
        with multiprocessing.Pool(2) as pool:
            return pool.map_async(partial(self._run_on_segment, func), range(len(self.segments))).get(timeout=5)


if __name__ == "__main__":

    def process(segment):  # sanitize: MP101
        return segment.upper()

    try:
        print(LogReader(["a", "b"]).run_across_segments(process))
    except multiprocessing.TimeoutError:
        print("the workers never ran the task")
