import multiprocessing

import grand


def test_explicit_child_runs_a_script_that_starts_its_own():
    ctx = multiprocessing.get_context("spawn")
    result = ctx.Queue()
    process = ctx.Process(target=grand.run_script, args=(result,))
    process.start()
    code = result.get(timeout=120)
    process.join()
    assert code == 0


def test_explicit_only():
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(abs, (-3,)) == 3
