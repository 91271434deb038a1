"""deco's shape, fixed: the script imports the module of the ``@concurrent`` functions on import, so a spawn or
forkserver worker, which imports the script again, fills ``concurrent.functions`` too."""

import conclib_tasks

if __name__ == "__main__":
    print(conclib_tasks.add_one(1).get(30))
    conclib_tasks.add_one.close()
