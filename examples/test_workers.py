import pytest


def square(x):  # module level: spawn and forkserver children import it by name
    return x * x


@pytest.mark.start_methods  # every start method: test_squares[fork], [spawn], [forkserver]
def test_squares(mp_context):
    with mp_context.Pool(2) as pool:
        assert pool.map(square, range(4)) == [0, 1, 4, 9]


@pytest.mark.start_methods("spawn", "forkserver")  # only these
def test_process_exits_cleanly(mp_context):
    p = mp_context.Process(target=square, args=(3,))
    p.start()
    p.join(timeout=60)
    assert p.exitcode == 0
