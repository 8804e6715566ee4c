package org.lfssd.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.lfssd.kernels.Config;

/**
 * The arrays of one step of a repeated computation (one batch of an importance pass: forward, backward,
 * accumulate), handed out again in the next step instead of allocated anew.
 *
 * <p>Why: a new Java array is zeroed by the thread that allocates it, and the ops allocate their outputs
 * on the calling thread before they fork. A ResNet18 or ViT-Tiny step allocates hundreds of megabytes
 * of activations and gradients that way, serially, while the pool's other threads wait; most of those
 * arrays are also large enough for G1 to place them in humongous regions, which is slower still. The
 * shapes repeat from batch to batch, so the arrays can too.
 *
 * <p>Only {@link Tensor#uninitialized} draws from the arena, and only on the thread that opened it: ops
 * ask for it where they write every element of their output before anything reads it. Every other
 * allocation is unchanged, so code that never opens an arena sees no difference, and an arena never hands
 * out an array that an op expects to be zero.
 *
 * <p>Lifetimes:
 * <ul>
 *   <li>{@link #reset} makes every array handed out since the last reset free again; the caller promises
 *       that nothing from the step is used afterwards (the step's outputs have been consumed).</li>
 *   <li>{@link #release} frees one array before the reset. Backward uses it for gradients it has
 *       propagated (see {@code Var.backward}), so the step's gradients reuse one another's arrays and the
 *       arena holds about as much as the step's peak, not the sum of all its arrays.</li>
 *   <li>At a reset, free arrays that the step did not use are dropped, so a change of shapes (a shorter
 *       last batch) does not keep two sets of arrays alive for longer than one step.</li>
 * </ul>
 *
 * <p>An arena belongs to the thread that opened it and must be closed on that thread; arenas nest (closing
 * one makes the enclosing one current again). Not thread-safe: nothing about it is shared.
 *
 * <p>A {@linkplain #detached detached} arena belongs to no thread until a thread {@linkplain #enter enters}
 * it, and to that thread only until it leaves. A step that runs as a pool task, on whichever thread takes
 * it, keeps its arena from step to step this way; one thread at a time, so the arena still needs no locks
 * (the pool's hand-off of a task orders one thread's use before the next one's).
 */
public final class StepArena implements AutoCloseable {
    private static final ThreadLocal<StepArena> CURRENT = new ThreadLocal<>();

    /** The thread it belongs to now: the opener, or for a detached arena the thread inside it (else null). */
    private Thread owner;
    private StepArena enclosing;
    private final boolean detached;
    private final boolean poison;
    /** Free arrays by exact length. */
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    /** Arrays handed out since the last reset and not released, with the generation in which they were. */
    private final IdentityHashMap<float[], Integer> inUse = new IdentityHashMap<>();
    /** Every array handed out during the current step (in use or released since): what the next reset keeps. */
    private final IdentityHashMap<float[], Boolean> handedOutThisStep = new IdentityHashMap<>();
    private int generation;
    private boolean closed;
    private long reused;
    private long allocated;

    private StepArena(boolean poison, boolean detached) {
        this.poison = poison;
        this.detached = detached;
        if (!detached) {
            owner = Thread.currentThread();
            enclosing = CURRENT.get();
            CURRENT.set(this);
        }
    }

    /**
     * Opens an arena on this thread; {@link Tensor#uninitialized} draws from it until it is closed.
     *
     * @return the arena, to be closed by this thread (try-with-resources)
     */
    public static StepArena open() {
        return new StepArena(false, false);
    }

    /**
     * Opens an arena that fills every array with NaN when it becomes free, so that reading an element the
     * step did not write shows up as NaN in the results. For tests: it checks that every op which asks for
     * an uninitialized tensor writes all of it.
     *
     * @return the arena, to be closed by this thread
     */
    public static StepArena openChecked() {
        return new StepArena(true, false);
    }

    /**
     * Opens the arena that the knob {@code lfssd.arena} asks for: {@code on} (the default) {@link #open},
     * {@code checked} {@link #openChecked}, {@code off} none. The importance pass and its benchmarks open
     * their arenas this way.
     *
     * @return the arena, to be closed by this thread, or null when {@code lfssd.arena=off}
     * @throws IllegalArgumentException if the knob has another value
     */
    public static StepArena openAsConfigured() {
        return switch (Config.choice("lfssd.arena", "on", "on", "off", "checked")) {
            case "off" -> null;
            case "checked" -> openChecked();
            default -> open();
        };
    }

    /**
     * An arena that no thread uses until one {@link #enter}s it.
     *
     * @return the arena, to be closed once no thread is inside it
     */
    public static StepArena detached() {
        return new StepArena(false, true);
    }

    /**
     * An arena that no thread uses until one {@link #enter}s it, made as {@code lfssd.arena} asks
     * ({@code on}: plain, {@code checked}: filled with NaN when freed, {@code off}: none).
     *
     * @return the arena, or null when {@code lfssd.arena=off}
     * @throws IllegalArgumentException if the knob has another value
     */
    public static StepArena detachedAsConfigured() {
        return switch (Config.choice("lfssd.arena", "on", "on", "off", "checked")) {
            case "off" -> null;
            case "checked" -> new StepArena(true, true);
            default -> detached();
        };
    }

    /**
     * Makes this detached arena the current one of the calling thread until the returned scope is closed
     * (on the same thread); the arena that was current before is current again afterwards.
     *
     * @return the scope to close, with try-with-resources
     * @throws IllegalStateException if the arena is not detached, is closed, or another thread is inside it
     */
    public Entered enter() {
        if (!detached) {
            throw new IllegalStateException("StepArena.enter: only a detached arena can be entered; this one belongs to '"
                    + owner.getName() + "'");
        }
        if (closed) {
            throw new IllegalStateException("StepArena.enter: the arena is closed");
        }
        if (owner != null) {
            throw new IllegalStateException("StepArena.enter on thread '" + Thread.currentThread().getName()
                    + "'; thread '" + owner.getName() + "' is inside the arena");
        }
        owner = Thread.currentThread();
        enclosing = CURRENT.get();
        CURRENT.set(this);
        return new Entered();
    }

    /** A thread's stay inside a detached arena; closing it leaves the arena. */
    public final class Entered implements AutoCloseable {
        private boolean left;

        private Entered() {}

        /** Leaves the arena: the calling thread's previous arena (if any) is current again. */
        @Override
        public void close() {
            if (left || closed) {
                return; // closed from inside: close() already left
            }
            checkOwner("leave");
            if (CURRENT.get() != StepArena.this) {
                throw new IllegalStateException("StepArena: leaving an arena while one opened inside it is still open");
            }
            left = true;
            restoreEnclosing();
            owner = null;
        }
    }

    /**
     * The arena open on this thread, if any.
     *
     * @return the innermost open arena of the calling thread, or null
     */
    public static StepArena current() {
        return CURRENT.get();
    }

    /** An array of {@code length} floats from this thread's arena, or a new (zeroed) one if none is open. */
    static float[] array(int length) {
        StepArena arena = CURRENT.get();
        return arena == null ? new float[length] : arena.take(length);
    }

    private float[] take(int length) {
        ArrayDeque<float[]> q = free.get(length);
        float[] a = q == null ? null : q.poll();
        if (a == null) {
            a = new float[length];
            allocated++;
        } else {
            reused++;
        }
        inUse.put(a, generation);
        handedOutThisStep.put(a, Boolean.TRUE);
        return a;
    }

    /**
     * Starts a new generation and returns its number: arrays handed out from now on are
     * {@linkplain #releasable releasable} against it. Backward marks its start this way, so that it frees
     * only gradients it made itself, never the forward pass's activations.
     *
     * @return the new generation
     */
    public int mark() {
        checkOwner("mark");
        return ++generation;
    }

    /**
     * Whether {@code array} was handed out by this arena in generation {@code since} or later and has not
     * been freed since.
     *
     * @param array an array
     * @param since a generation from {@link #mark}
     * @return true if {@link #release} may be called for it (when nothing refers to it any more)
     */
    public boolean releasable(float[] array, int since) {
        Integer g = inUse.get(array);
        return g != null && g >= since;
    }

    /**
     * Frees one array handed out in this step: the next request for its length may get it. The caller
     * promises that nothing refers to it any more.
     *
     * @param array an array handed out by this arena since the last reset
     * @throws IllegalArgumentException if it was not, or was already freed
     */
    public void release(float[] array) {
        checkOwner("release");
        if (inUse.remove(array) == null) {
            throw new IllegalArgumentException("StepArena.release: an array of " + array.length
                    + " floats that this arena did not hand out in this step, or that was already released");
        }
        makeFree(array);
    }

    /**
     * Ends a step: every array handed out since the last reset is free again, and free arrays the step did
     * not use are dropped.
     */
    public void reset() {
        checkOwner("reset");
        // The free lists become exactly the arrays this step used; those it left unused are dropped.
        free.clear();
        inUse.clear();
        for (float[] a : handedOutThisStep.keySet()) {
            makeFree(a);
        }
        handedOutThisStep.clear();
        generation++;
    }

    private void makeFree(float[] a) {
        if (poison) {
            Arrays.fill(a, Float.NaN);
        }
        free.computeIfAbsent(a.length, l -> new ArrayDeque<>()).push(a);
    }

    /**
     * Arrays handed out again rather than allocated, since the arena was opened.
     *
     * @return the count
     */
    public long reusedCount() {
        return reused;
    }

    /**
     * Arrays the arena had to allocate, since it was opened.
     *
     * @return the count
     */
    public long allocatedCount() {
        return allocated;
    }

    /**
     * Closes the arena: its arrays are dropped, and the enclosing arena (if any) is current again. A detached
     * arena may be closed on any thread while no thread is inside it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (detached && owner == null) {
            closed = true;
            dropArrays();
            return;
        }
        checkOwner("close");
        if (CURRENT.get() != this) {
            throw new IllegalStateException("StepArena.close: an arena opened inside this one is still open");
        }
        closed = true;
        dropArrays();
        restoreEnclosing();
        owner = null;
    }

    private void dropArrays() {
        free.clear();
        inUse.clear();
        handedOutThisStep.clear();
    }

    private void restoreEnclosing() {
        if (enclosing == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(enclosing);
        }
        enclosing = null;
    }

    private void checkOwner(String what) {
        if (closed) {
            throw new IllegalStateException("StepArena." + what + ": the arena is closed");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("StepArena." + what + " on thread '" + Thread.currentThread().getName()
                    + "'; " + (owner == null ? "no thread is inside the detached arena"
                            : "the arena belongs to '" + owner.getName() + "'"));
        }
    }
}
