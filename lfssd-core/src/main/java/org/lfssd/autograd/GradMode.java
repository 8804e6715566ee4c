package org.lfssd.autograd;

/**
 * Whether ops record themselves for backward on the current thread. Use
 * {@code try (var g = GradMode.disabled()) { ... }} for inference: nothing inside is recorded, so no
 * activations are kept alive.
 */
public final class GradMode implements AutoCloseable {
    private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private boolean closed;

    private GradMode() {
        DISABLED_DEPTH.get()[0]++;
    }

    /**
     * Opens a no-grad scope; close it (try-with-resources) to restore recording.
     *
     * @return the scope
     */
    public static GradMode disabled() {
        return new GradMode();
    }

    /** {@return true unless this thread is inside a {@link #disabled()} scope} */
    public static boolean isEnabled() {
        return DISABLED_DEPTH.get()[0] == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DISABLED_DEPTH.get()[0]--;
        }
    }
}
