package org.lfssd.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The threads behind {@link Parallel}: {@code threads - 1} daemon workers and the calling thread take the
 * tasks of one job from a shared counter until none is left, then the caller returns.
 *
 * <p>Why not a {@link java.util.concurrent.ForkJoinPool}: its workers that wait in a join may start
 * spare threads (three workers were seen running on two cores), and its recursive splitting hands
 * tasks to threads in an order that has nothing to do with memory. Here exactly {@code threads}
 * threads run a job, the caller among them (no hand-off and wake-up on its own side), and a thread takes
 * the next unclaimed task when it finishes one, so the work balances itself. Which thread runs a task
 * never matters: tasks write disjoint outputs (see {@link Parallel}), so results are the same bits
 * whatever the thread count or timing.
 *
 * <p>One job runs at a time; callers on other threads wait for the pool. A task that calls back into
 * {@link Parallel} runs its own tasks inline (see {@link #insideJob()}), so nothing waits on itself.
 * Idle workers, and a caller waiting for the last task, spin for up to {@link #SPIN_NANOS} and then park.
 */
final class WorkerPool {
    /**
     * How long an idle thread spins before it parks ({@code lfssd.spin}, in microseconds; 0 parks at once).
     * A pass runs hundreds of jobs per step back to back, separated by serial work on the caller
     * (allocation, small ops). A parked worker costs a futex wake-up per job, and under a hypervisor the
     * wake-up of an idle vCPU can take longer than a whole task, so the caller ends up running every task
     * itself. Measured in time, not iterations: a {@code PAUSE} lasts about 10 cycles on one CPU, 140 on
     * another, and a hypervisor may cut a pause loop short.
     */
    static final long SPIN_NANOS = 1000L * Config.nonNegativeInt("lfssd.spin", 5000);

    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);

    /** The tasks of one {@link #run} call. */
    private static final class Job {
        final IntConsumer body;
        final int tasks;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger unfinished;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(IntConsumer body, int tasks, Thread caller) {
            this.body = body;
            this.tasks = tasks;
            this.caller = caller;
            this.unfinished = new AtomicInteger(tasks);
        }
    }

    private final Thread[] workers;
    private final ReentrantLock submit = new ReentrantLock();
    private volatile Job current;
    private volatile boolean shutdown;

    /**
     * Starts {@code threads - 1} workers.
     *
     * @param threads the threads a job runs on, the caller included, at least 1
     */
    WorkerPool(int threads) {
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Thread(this::workerLoop, "lfssd-worker-" + i);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /**
     * Whether the current thread is running a task of a job (so a call into {@link Parallel} must run inline).
     *
     * @return whether it is inside a job
     */
    static boolean insideJob() {
        return INSIDE.get()[0];
    }

    /**
     * Runs {@code body.accept(t)} for every {@code t < tasks} on the pool's threads and the caller's, and
     * returns when all have finished. If a task throws, the tasks not yet started are skipped and the first
     * failure is rethrown here.
     *
     * @param tasks the number of tasks, at least 1
     * @param body  the work of one task
     */
    void run(int tasks, IntConsumer body) {
        submit.lock();
        try {
            Job job = new Job(body, tasks, Thread.currentThread());
            current = job;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            work(job);
            long spinStart = System.nanoTime();
            while (job.unfinished.get() > 0) {
                if (System.nanoTime() - spinStart < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            current = null;
            Throwable failure = job.failure.get();
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException("a parallel task failed", failure);
            }
        } finally {
            submit.unlock();
        }
    }

    /** Stops the workers once they are idle. */
    void shutdown() {
        shutdown = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** Takes tasks of {@code job} until none is left; the thread that finishes the last one wakes the caller. */
    private static void work(Job job) {
        boolean[] inside = INSIDE.get();
        inside[0] = true;
        try {
            for (int t = job.next.getAndIncrement(); t < job.tasks; t = job.next.getAndIncrement()) {
                if (job.failure.get() == null) {
                    try {
                        job.body.accept(t);
                    } catch (Throwable e) {
                        job.failure.compareAndSet(null, e);
                    }
                }
                if (job.unfinished.decrementAndGet() == 0 && Thread.currentThread() != job.caller) {
                    LockSupport.unpark(job.caller);
                }
            }
        } finally {
            inside[0] = false;
        }
    }

    private void workerLoop() {
        Job done = null;
        long idleSince = System.nanoTime();
        while (!shutdown) {
            Job job = current;
            if (job != null && job != done) {
                work(job);
                done = job;
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
                idleSince = System.nanoTime();
            }
        }
    }
}
