"""helpers.kernel: after imports_done() the collector no longer scans what existed, and still frees what
the notebook makes afterwards."""
import gc
import weakref

from helpers import kernel


class Node:
    pass


def test_imports_done_freezes_what_exists_and_still_collects_later_cycles():
    before = Node()
    try:
        count = kernel.imports_done()
        assert count == gc.get_freeze_count() > 0
        assert not any(o is before for o in gc.get_objects(generation=2))  # left out of full collections
        a, b = Node(), Node()  # a cycle made after the freeze, then dropped
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None  # the collector still frees what the notebook makes afterwards
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0 and any(o is before for o in gc.get_objects(generation=2))
