from missiondesk.domain.hlc import MAX_AHEAD_MS, HybridClock, pack, unpack


class FakeWall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_timestamps_strictly_increase_at_a_constant_wall_clock():
    clock = HybridClock(wall=FakeWall(1_000))
    stamps = [clock.now() for _ in range(1000)]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 1000
    assert unpack(stamps[0]) == (1_000, 0)
    assert unpack(stamps[-1]) == (1_000, 999)


def test_monotonic_when_the_wall_clock_jumps_back():
    wall = FakeWall(5_000_000)
    clock = HybridClock(wall=wall)
    before = clock.now()
    wall.ms = 1_000  # someone sets the laptop's clock back by more than an hour
    after = [clock.now() for _ in range(10)]
    assert all(a > before for a in after)
    assert after == sorted(after)
    wall.ms = 6_000_000  # the wall clock catches up and leads again
    assert unpack(clock.now()) == (6_000_000, 0)


def test_restored_clock_continues_after_the_last_stamp():
    wall = FakeWall(10)
    first = HybridClock(wall=wall)
    last = max(first.now() for _ in range(5))
    again = HybridClock(last=last, wall=wall)
    assert again.now() > last


def test_counter_overflow_moves_to_the_next_millisecond():
    clock = HybridClock(last=pack(50, 0xFFFF), wall=FakeWall(10))
    assert unpack(clock.now()) == (51, 0)


def test_observe_moves_past_peer_stamps_but_refuses_far_future():
    wall = FakeWall(1_000_000)
    clock = HybridClock(wall=wall)
    peer = pack(1_500_000, 7)
    assert clock.observe(peer)
    assert clock.now() > peer
    too_far = pack(wall.ms + MAX_AHEAD_MS + 1, 0)
    assert clock.is_too_far_ahead(too_far)
    assert not clock.observe(too_far)
    assert clock.now() < too_far
