package org.lfssd.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StepArenaTest {

    @Test
    void withoutAnArenaUninitializedTensorsAreNewZeros() {
        assertNull(StepArena.current());
        Tensor a = Tensor.uninitialized(3, 5);
        Tensor b = Tensor.uninitialized(3, 5);
        assertNotSame(a.data(), b.data());
        for (float v : a.data()) {
            assertEquals(0f, v);
        }
    }

    @Test
    void theNextStepGetsTheSameArraysBack() {
        try (StepArena arena = StepArena.open()) {
            float[] a = Tensor.uninitialized(7).data();
            float[] b = Tensor.uninitialized(7).data();
            float[] c = Tensor.uninitialized(2, 4).data();
            a[0] = 42f;
            arena.reset();
            float[] first = Tensor.uninitialized(7).data();
            float[] second = Tensor.uninitialized(7).data();
            assertTrue((first == a && second == b) || (first == b && second == a), "both 7-float arrays come back");
            assertSame(c, Tensor.uninitialized(8).data(), "by length, whatever the shape");
            assertEquals(3, arena.allocatedCount());
            assertEquals(3, arena.reusedCount());
            assertEquals(42f, (first == a ? first : second)[0], "an arena does not clear what it hands out");
        }
        assertNull(StepArena.current());
    }

    @Test
    void aReleasedArrayServesTheSameStep() {
        try (StepArena arena = StepArena.open()) {
            int since = arena.mark();
            float[] a = Tensor.uninitialized(5).data();
            assertTrue(arena.releasable(a, since));
            assertFalse(arena.releasable(a, since + 1), "handed out before that mark");
            arena.release(a);
            assertFalse(arena.releasable(a, since), "already free");
            assertSame(a, Tensor.uninitialized(5).data());
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> {
                arena.release(a);
                arena.release(a);
            });
            assertTrue(twice.getMessage().contains("5 floats"), twice.getMessage());
            assertThrows(IllegalArgumentException.class, () -> arena.release(new float[3]));
        }
    }

    @Test
    void aResetDropsArraysTheStepDidNotUse() {
        try (StepArena arena = StepArena.open()) {
            float[] a = Tensor.uninitialized(11).data();
            arena.reset();
            Tensor.uninitialized(4); // a step with other shapes
            arena.reset();
            assertNotSame(a, Tensor.uninitialized(11).data(), "the 11-float array was dropped after an unused step");
            assertEquals(3, arena.allocatedCount());
        }
    }

    @Test
    void aCheckedArenaFillsFreedArraysWithNaN() {
        try (StepArena arena = StepArena.openChecked()) {
            float[] a = Tensor.uninitialized(9).data();
            java.util.Arrays.fill(a, 1f);
            arena.reset();
            float[] again = Tensor.uninitialized(9).data();
            assertSame(a, again);
            for (float v : again) {
                assertTrue(Float.isNaN(v));
            }
        }
    }

    @Test
    void arenasNestAndBelongToTheirThread() throws InterruptedException {
        try (StepArena outer = StepArena.open()) {
            try (StepArena inner = StepArena.open()) {
                assertSame(inner, StepArena.current());
                IllegalStateException early = assertThrows(IllegalStateException.class, outer::close);
                assertTrue(early.getMessage().contains("still open"), early.getMessage());
            }
            assertSame(outer, StepArena.current());
            AtomicReference<Throwable> seen = new AtomicReference<>();
            AtomicReference<StepArena> currentThere = new AtomicReference<>();
            Thread other = new Thread(() -> {
                currentThere.set(StepArena.current());
                try {
                    outer.reset();
                } catch (Throwable t) {
                    seen.set(t);
                }
            }, "other");
            other.start();
            other.join();
            assertNull(currentThere.get(), "another thread does not see this thread's arena");
            assertTrue(seen.get() instanceof IllegalStateException && seen.get().getMessage().contains("'other'"),
                    String.valueOf(seen.get()));
        }
        StepArena closed = StepArena.open();
        closed.close();
        closed.close(); // idempotent
        IllegalStateException after = assertThrows(IllegalStateException.class, closed::reset);
        assertTrue(after.getMessage().contains("closed"), after.getMessage());
    }

    @Test
    void aDetachedArenaServesWhicheverThreadIsInsideIt() throws Exception {
        StepArena arena = StepArena.detached();
        try {
            assertNull(StepArena.current(), "a detached arena is nobody's until entered");
            float[] first;
            try (StepArena.Entered ignored = arena.enter()) {
                assertSame(arena, StepArena.current());
                first = Tensor.uninitialized(9).data();
                arena.reset();
            }
            assertNull(StepArena.current());
            // The next step on another thread gets the same array back.
            AtomicReference<float[]> second = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try (StepArena.Entered ignored = arena.enter()) {
                    second.set(Tensor.uninitialized(9).data());
                    arena.reset();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            t.join();
            assertNull(failure.get());
            assertSame(first, second.get());
        } finally {
            arena.close(); // no thread inside: any thread may close it
        }
    }

    @Test
    void enteringRestoresTheThreadsOwnArenaOnLeaving() {
        StepArena detached = StepArena.detached();
        try (StepArena own = StepArena.open()) {
            try (StepArena.Entered ignored = detached.enter()) {
                assertSame(detached, StepArena.current());
            }
            assertSame(own, StepArena.current());
        } finally {
            detached.close();
        }
    }

    @Test
    void aDetachedArenaHasOneThreadInsideAtATime() throws Exception {
        StepArena arena = StepArena.detached();
        try (StepArena.Entered ignored = arena.enter()) {
            IllegalStateException again = assertThrows(IllegalStateException.class, arena::enter);
            assertTrue(again.getMessage().contains("is inside the arena"), again.getMessage());
            AtomicReference<Throwable> fromOther = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    arena.reset();
                } catch (Throwable e) {
                    fromOther.set(e);
                }
            });
            t.start();
            t.join();
            assertTrue(fromOther.get() instanceof IllegalStateException, String.valueOf(fromOther.get()));
        } finally {
            arena.close();
        }
        IllegalStateException closed = assertThrows(IllegalStateException.class, arena::enter);
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void onlyADetachedArenaCanBeEntered() {
        try (StepArena own = StepArena.open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, own::enter);
            assertTrue(e.getMessage().contains("only a detached arena"), e.getMessage());
        }
    }
}
