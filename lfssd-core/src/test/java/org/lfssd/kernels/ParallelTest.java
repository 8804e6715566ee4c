package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pool behind {@link Parallel}: every task runs exactly once, on the caller and the workers; nested
 * calls run inline; idle threads that parked wake for the next job; a failure reaches the caller and the pool stays usable; callers on several threads
 * share it; changing the thread count replaces it.
 */
class ParallelTest {
    private int before;

    @BeforeEach
    void twoThreads() {
        before = Parallel.threads();
        Parallel.setThreads(2);
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
    }

    @Test
    void everyTaskRunsOnceAndTheWorkIsShared() {
        int tasks = 2000;
        AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 50; round++) {
            Parallel.forEach(tasks, t -> {
                runs.incrementAndGet(t);
                threads.add(Thread.currentThread().getName());
                // Enough work per task that the worker wakes up before the caller has taken them all.
                double x = t;
                for (int i = 0; i < 2000; i++) {
                    x = Math.sqrt(x + i);
                }
                if (x < 0) {
                    throw new AssertionError();
                }
            });
        }
        for (int t = 0; t < tasks; t++) {
            assertEquals(50, runs.get(t), "task " + t);
        }
        assertTrue(threads.contains(Thread.currentThread().getName()), "the caller takes tasks too: " + threads);
        assertTrue(threads.stream().anyMatch(n -> n.startsWith("lfssd-worker-")), "a worker takes tasks: " + threads);
    }

    @Test
    void workersThatParkedAfterAnIdleGapTakeTheNextJob() throws InterruptedException {
        int tasks = 64;
        for (int round = 0; round < 3; round++) {
            // Longer than the spin budget (lfssd.spin, 5 ms by default), so the idle threads park in between.
            Thread.sleep(WorkerPool.SPIN_NANOS / 1_000_000L + 20);
            AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
            Parallel.forEach(tasks, runs::incrementAndGet);
            for (int t = 0; t < tasks; t++) {
                assertEquals(1, runs.get(t), "round " + round + ", task " + t);
            }
        }
    }

    @Test
    void nestedCallsRunInlineOnTheSameThread() {
        int outer = 64;
        int inner = 16;
        int[] count = new int[outer];
        String[] innerThread = new String[outer * inner];
        String[] outerThread = new String[outer];
        Parallel.forEach(outer, o -> {
            outerThread[o] = Thread.currentThread().getName();
            Parallel.forEach(inner, i -> {
                count[o]++;
                innerThread[o * inner + i] = Thread.currentThread().getName();
            });
        });
        for (int o = 0; o < outer; o++) {
            assertEquals(inner, count[o]);
            for (int i = 0; i < inner; i++) {
                assertEquals(outerThread[o], innerThread[o * inner + i]);
            }
        }
    }

    @Test
    void aFailingTaskReachesTheCallerAndThePoolStaysUsable() {
        IllegalStateException boom = new IllegalStateException("task 37 failed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forEach(100, t -> {
            if (t == 37) {
                throw boom;
            }
        }));
        assertSame(boom, e);
        int[] out = new int[100];
        Parallel.forEach(100, t -> out[t] = t);
        for (int t = 0; t < 100; t++) {
            assertEquals(t, out[t]);
        }
    }

    @Test
    void callersOnSeveralThreadsShareThePool() throws InterruptedException {
        int callers = 4;
        long[][] sums = new long[callers][];
        Thread[] threads = new Thread[callers];
        for (int c = 0; c < callers; c++) {
            int id = c;
            threads[c] = new Thread(() -> {
                long[] s = new long[300];
                for (int round = 0; round < 30; round++) {
                    Parallel.forEach(300, t -> s[t] += t + id);
                }
                sums[id] = s;
            });
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int c = 0; c < callers; c++) {
            long[] expected = new long[300];
            for (int t = 0; t < 300; t++) {
                expected[t] = 30L * (t + c);
            }
            assertArrayEquals(expected, sums[c], "caller " + c);
        }
    }

    @Test
    void changingTheThreadCountKeepsWorking() {
        for (int n : new int[] {1, 3, 2}) {
            Parallel.setThreads(n);
            assertEquals(n, Parallel.threads());
            int[] out = new int[257];
            Parallel.forRange(out.length, 10, (a, b) -> {
                for (int i = a; i < b; i++) {
                    out[i] = i * 2;
                }
            });
            for (int i = 0; i < out.length; i++) {
                assertEquals(i * 2, out[i]);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    }

    @Test
    void taskListsShareOneJobInOrderAndEveryTaskRunsOnce() {
        int[] counts = {3, 0, 250, 1};
        AtomicIntegerArray[] runs = new AtomicIntegerArray[counts.length];
        TaskList[] lists = new TaskList[counts.length];
        for (int l = 0; l < counts.length; l++) {
            AtomicIntegerArray r = new AtomicIntegerArray(counts[l]);
            runs[l] = r;
            lists[l] = new TaskList(counts[l], r::incrementAndGet);
        }
        for (int round = 0; round < 20; round++) {
            Parallel.forEach(lists);
        }
        for (int l = 0; l < counts.length; l++) {
            for (int t = 0; t < counts[l]; t++) {
                assertEquals(20, runs[l].get(t), "list " + l + " task " + t);
            }
        }
        Parallel.forEach(TaskList.NONE, TaskList.NONE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TaskList(-1, t -> { }));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void chunksCoverEveryElementOnceInAFixedNumbering() {
        int[] lengths = {5, 0, 12, 1};
        int[][] seen = new int[lengths.length][];
        for (int i = 0; i < lengths.length; i++) {
            seen[i] = new int[lengths[i]];
        }
        assertEquals(2 + 0 + 3 + 1, Parallel.chunkCount(lengths, 4));
        int[][] numbering = new int[6][];
        Parallel.forChunks(lengths, 4, (c, item, start, end) -> {
            numbering[c] = new int[] {item, start, end};
            for (int e = start; e < end; e++) {
                seen[item][e]++;
            }
        });
        for (int i = 0; i < lengths.length; i++) {
            for (int e = 0; e < lengths[i]; e++) {
                assertEquals(1, seen[i][e], "item " + i + " element " + e);
            }
        }
        // Item by item, then by start: the numbering a caller may record per chunk and report in order.
        assertArrayEquals(new int[][] {{0, 0, 4}, {0, 4, 5}, {2, 0, 4}, {2, 4, 8}, {2, 8, 12}, {3, 0, 1}}, numbering);
        assertThrows(IllegalArgumentException.class, () -> Parallel.forChunks(lengths, 0, (c, item, start, end) -> { }));
    }
}
