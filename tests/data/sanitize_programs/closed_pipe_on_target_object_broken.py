"""MAVProxy#1749: a bound method is the Process's target, so spawn pickles its whole object, which keeps a
Connection the program closed earlier: ``OSError: handle is closed`` at start() under spawn and forkserver (a fork
child is a copy and needs no pickle)."""

import multiprocessing


class Console:
    def __init__(self):
        self.recv, self.send = multiprocessing.Pipe(duplex=False)


class Editor:
    def __init__(self, console):
        self.console = console
        self.recv, self.send = multiprocessing.Pipe(duplex=False)
        self.child = multiprocessing.Process(target=self.child_task)
        self.child.start()  # sanitize: MP108

    def child_task(self):
        self.send.send("started")


if __name__ == "__main__":
    console = Console()
    console.recv.close()
    console.send.close()
    editor = Editor(console)
    print(editor.recv.recv())
    editor.child.join()
