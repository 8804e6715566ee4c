package org.lfssd.kernels;

import java.util.function.IntConsumer;

/**
 * The library's one thread pool. Work is always cut into tasks by the caller, in a way that depends
 * only on the problem size, never on the thread count; tasks write disjoint outputs or per-task
 * partials that the caller combines in task order. So results are bit-identical for any thread count.
 *
 * <p>The pool is our own ({@link WorkerPool}: the caller and {@code threads - 1} workers take tasks from a
 * shared counter). Its size comes from {@code lfssd.threads} (default: available processors) and can be
 * changed with {@link #setThreads}. Calls made from inside a task run their tasks inline, so nesting never
 * oversubscribes.
 */
public final class Parallel {
    private Parallel() {}

    private static volatile WorkerPool pool;
    private static volatile int threads = Config.positiveInt("lfssd.threads", Runtime.getRuntime().availableProcessors());

    /**
     * The number of threads kernels may use.
     *
     * @return the thread count
     */
    public static int threads() {
        return threads;
    }

    /**
     * Whether a {@link #forEach} called now would run every task on the calling thread (one thread, or
     * already inside a task). Callers may then cut work into fewer, larger tasks: with tasks that own
     * their outputs, the cut never changes a result.
     *
     * @return whether calls run inline
     */
    public static boolean runsInline() {
        return threads == 1 || WorkerPool.insideJob();
    }

    /**
     * Sets the number of threads (1 runs everything on the calling thread). Results do not depend on it.
     *
     * @param n the thread count, at least 1
     */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        if (n != threads) {
            WorkerPool old = pool;
            pool = null;
            threads = n;
            if (old != null) {
                old.shutdown();
            }
        }
    }

    private static WorkerPool pool() {
        WorkerPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new WorkerPool(threads);
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * Runs {@code body.accept(t)} for every task {@code t} in {@code [0, tasks)}, possibly concurrently.
     *
     * @param tasks the number of tasks
     * @param body  the work of one task
     */
    public static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (tasks == 1 || runsInline()) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        pool().run(tasks, body);
    }

    /**
     * Runs the tasks of all the lists as one job, possibly concurrently, and returns when all have finished.
     * Tasks are handed out list by list in the order given, each list's in index order, so lists of long
     * tasks should come first: the short ones that follow then fill the threads' idle time at the end.
     *
     * @param lists the task lists, whose outputs must be disjoint
     */
    public static void forEach(TaskList... lists) {
        int total = 0;
        for (TaskList l : lists) {
            total = Math.addExact(total, l.count());
        }
        if (lists.length == 1) {
            forEach(total, lists[0].body());
            return;
        }
        int[] starts = new int[lists.length + 1];
        for (int i = 0; i < lists.length; i++) {
            starts[i + 1] = starts[i] + lists[i].count();
        }
        forEach(total, t -> {
            int i = 0;
            while (t >= starts[i + 1]) {
                i++;
            }
            lists[i].body().accept(t - starts[i]);
        });
    }

    /** One chunk of {@link #forChunks}: elements {@code [start, end)} of item {@code item}, chunk number {@code chunk}. */
    @FunctionalInterface
    public interface ChunkBody {
        /**
         * Runs one chunk.
         *
         * @param chunk its number, in the order item by item, then by start
         * @param item  the item it belongs to
         * @param start its first element, inclusive
         * @param end   its last element, exclusive
         */
        void run(int chunk, int item, int start, int end);
    }

    /**
     * The number of chunks {@link #forChunks} makes of these lengths.
     *
     * @param lengths the items' element counts
     * @param chunk   elements per chunk, at least 1
     * @return the chunk count
     */
    public static int chunkCount(int[] lengths, int chunk) {
        int count = 0;
        for (int n : lengths) {
            count = Math.addExact(count, (int) (((long) n + chunk - 1) / chunk));
        }
        return count;
    }

    /**
     * Cuts every item (parameters, gradients: arrays of {@code lengths[i]} elements) into chunks of
     * {@code chunk} elements, the last of each item shorter, and runs all the items' chunks as one job, possibly
     * concurrently: element-wise passes over many arrays of very different sizes (a model's parameters) then
     * balance over the threads and hand off once. The cut depends only on the lengths.
     *
     * @param lengths the items' element counts
     * @param chunk   elements per chunk, at least 1
     * @param body    the work of one chunk
     */
    public static void forChunks(int[] lengths, int chunk, ChunkBody body) {
        if (chunk < 1) {
            throw new IllegalArgumentException("forChunks: chunk must be >= 1, got " + chunk);
        }
        int count = chunkCount(lengths, chunk);
        int[] item = new int[count];
        int[] start = new int[count];
        int c = 0;
        for (int i = 0; i < lengths.length; i++) {
            for (int s = 0; s < lengths[i]; s += chunk) {
                item[c] = i;
                start[c++] = s;
            }
        }
        forEach(count, k -> body.run(k, item[k], start[k], Math.min(lengths[item[k]], start[k] + chunk)));
    }

    /** A half-open index range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        /**
         * Runs the block {@code [start, end)}.
         *
         * @param start first index, inclusive
         * @param end   last index, exclusive
         */
        void run(int start, int end);
    }

    /**
     * Cuts {@code [0, n)} into blocks of {@code grain} (the last may be shorter) and runs them, possibly
     * concurrently. The cut depends only on {@code n} and {@code grain}.
     *
     * @param n     the index count
     * @param grain the block size
     * @param body  the work of one block
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int g = Math.max(1, grain);
        int blocks = (int) (((long) n + g - 1) / g);
        forEach(blocks, b -> body.run(b * g, (int) Math.min((long) n, (long) (b + 1) * g)));
    }

    /**
     * Floats of work per task that {@link #forRows} aims at (128 KiB): enough to amortise handing a task
     * to a thread, small enough to give two threads many tasks to balance on the smallest layers.
     */
    public static final int TASK_ELEMENTS = 1 << 15;

    /**
     * Runs {@code body} over {@code [0, rows)} in blocks of whole rows of about {@value #TASK_ELEMENTS}
     * floats of work each (at least one row per block), possibly concurrently: the one way ops split row-wise
     * work. Use it where every row owns its outputs, so that the split cannot change a result; a
     * reduction whose order depends on the cut must fix its own chunks. The cut depends only on the sizes.
     *
     * @param rows        the number of rows (channels, planes, images, ...)
     * @param elementsPerRow floats read or written per row, the cost measure (any non-positive value counts as 1)
     * @param body        the work of one block of rows
     */
    public static void forRows(int rows, long elementsPerRow, RangeBody body) {
        long perTask = Math.max(1L, TASK_ELEMENTS / Math.max(1L, elementsPerRow));
        forRange(rows, (int) Math.min(Integer.MAX_VALUE, perTask), body);
    }
}
