"""deco's shape: the main guard imports the module whose ``@concurrent`` functions fill ``concurrent.functions``;
the pool's workers look the function up there by name, and a spawn or forkserver worker never imports that
module (KeyError: 'add_one')."""

if __name__ == "__main__":
    import conclib_tasks

    print(conclib_tasks.add_one(1).get(30))
    conclib_tasks.add_one.close()
