"""Pacing and flow control (server/pacing.py), and the spacing the connection gives a frame that
holds the training thread longer than a turn while other sessions share it (server/connection.py)."""
import asyncio
import time

from server import connection
from server.load import Load
from server.pacing import MIN_FRAME_GAP, Flow
from server.session import Session


def test_flow_without_a_window_lets_every_frame_go_unless_spaced():
    f = Flow()
    f.sent()
    assert f.allowed                                   # no window, no spacing: the next frame may go
    f.spacing = 0.2
    f.sent()
    assert not f.allowed                               # spaced: not before 0.2 s
    f.sent_at -= 0.21
    assert f.allowed


def test_flow_window_counts_unacknowledged_frames():
    f = Flow()
    f.set(2)
    f.sent()
    f.sent_at -= MIN_FRAME_GAP
    assert f.allowed and f.unacked == 1
    f.sent()
    f.sent_at -= MIN_FRAME_GAP
    assert not f.allowed                               # two in flight
    f.ack()
    assert f.allowed
    f.spacing = 1.0
    assert not f.allowed                               # spacing holds even with room in the window


def dear_frame(session: Session, seconds: float):
    """The session's frame, made to take `seconds` on the thread."""
    real = session.frame

    def frame():
        time.sleep(seconds)
        return real()
    session.frame = frame


def build(session: Session, others: int) -> tuple:
    load = Load()
    conn = connection.Connection(ws=None, session=session, load=load)
    load.active.update(range(others))                  # other sessions busy on this worker
    return asyncio.run(conn._build_frame(session))


def test_a_dear_frame_is_spaced_only_while_others_share_the_thread():
    s = Session()
    list(s.start())
    dear_frame(s, 2 * connection.SLICE)
    text, maps, generation = build(s, others=2)
    assert '"type":"frame"' in text.replace(" ", "") and generation == s.generation
    assert s.flow_control.spacing >= 2 * connection.SLICE / connection.FRAME_SHARE
    assert not s.frame_allowed                         # the next one waits
    build(s, others=0)
    assert s.flow_control.spacing == 0.0 and s.frame_allowed     # alone: every frame it can build


def test_flow_says_when_time_alone_holds_the_next_frame():
    f = Flow()
    f.set(2)
    f.sent()
    assert f.ready_at() == f.sent_at + MIN_FRAME_GAP   # the gap after the last frame
    f.spacing = 0.5
    assert f.ready_at() == f.sent_at + 0.5             # or the spacing, whichever is longer
    f.sent()
    assert f.ready_at() is None                        # two in flight: the page's ack decides


def test_a_period_whose_frame_waits_for_the_gap_wakes_when_the_gap_is_over():
    """The last frame went out late in the period before (behind others' turns): this period's
    frame is not yet allowed when the period starts; the loop must wake when it is, not skip the
    period (a frame lost to a few milliseconds of jitter)."""
    s = Session()
    list(s.start())
    s.handle('{"type":"set_view","flow":2}')
    conn = connection.Connection(ws=None, session=s)
    tick = time.perf_counter() + connection.PERIOD     # this period: [tick - PERIOD, tick)
    s.flow_control.sent()
    s.flow_control.sent_at = tick - connection.PERIOD - 0.004     # late in the period before
    s.flow_control.ack()
    s.dirty = True
    assert not s.frame_allowed
    assert conn._frame_due(s, tick) == s.flow_control.sent_at + MIN_FRAME_GAP < tick - connection.SLICE
    s.flow_control.sent_at = tick - connection.PERIOD + 0.001      # one already went in this period
    assert conn._frame_due(s, tick) is None
    s.flow_control.sent_at = tick - connection.PERIOD - 0.004
    s.dirty = False                                     # nothing new to show
    assert conn._frame_due(s, tick) is None
