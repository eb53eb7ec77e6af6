"""WriteBehind: one write in flight, in order, and none left running after the block."""

import threading
import time

import pytest

from graph.behind import WriteBehind


def test_writes_land_in_order_one_at_a_time() -> None:
    landed: list[int] = []
    running = 0
    most = 0
    lock = threading.Lock()

    def write(n: int) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.01)
        with lock:
            running -= 1
        landed.append(n)

    with WriteBehind() as behind:
        for n in range(20):
            behind.submit(write, n)
    assert landed == list(range(20)) and most == 1


def test_a_failed_write_is_raised_at_the_next_submit() -> None:
    def fail() -> None:
        raise ValueError("constraint violated")

    with pytest.raises(ValueError, match="constraint violated"), WriteBehind() as behind:
        behind.submit(fail)
        behind.submit(lambda: None)


def test_a_failed_last_write_is_raised_on_leaving() -> None:
    def fail() -> None:
        raise ValueError("lost lease")

    with pytest.raises(ValueError, match="lost lease"), WriteBehind() as behind:
        behind.submit(fail)


def test_when_the_caller_fails_the_write_in_flight_still_finishes_first() -> None:
    done = threading.Event()

    def slow() -> None:
        time.sleep(0.2)
        done.set()

    with pytest.raises(RuntimeError, match="caller"), WriteBehind() as behind:
        behind.submit(slow)
        raise RuntimeError("caller")
    # Leaving waited: nothing is still writing (for a lease holder: after its release).
    assert done.is_set()
