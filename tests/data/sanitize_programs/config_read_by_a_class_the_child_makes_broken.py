"""osbrain#256: the defaults live in a module-level dict (one entry computed on import), a test changes them in
place, and the child reads them when it makes an Agent, in Agent.__init__: a spawn or forkserver child imports
afresh and binds with the defaults (MP103 where the dict is changed)."""

import multiprocessing
import os

config = {
    "LINGER": 1.0,
    "TRANSPORT": "ipc" if os.name != "nt" else "tcp",
}


class Agent:
    def __init__(self, name):
        self.name = name
        self.transport = config["TRANSPORT"]
        self.linger = config["LINGER"]


class AgentProcess(multiprocessing.Process):
    def __init__(self, name, queue):
        super().__init__(name=name)
        self.queue = queue

    def run(self):
        agent = Agent(self.name)
        self.queue.put((agent.transport, agent.linger))


if __name__ == "__main__":
    config["TRANSPORT"] = "tcp"  # sanitize: MP103
    config["LINGER"] = 0.0
    queue = multiprocessing.Queue()
    agent = AgentProcess("a0", queue)
    agent.start()
    print(queue.get(timeout=30))
    agent.join()
