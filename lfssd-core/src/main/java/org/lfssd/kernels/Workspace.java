package org.lfssd.kernels;

/**
 * Large transient buffers, reused from call to call instead of allocated per call: each thread keeps one
 * buffer per {@link Slot}, grown to the largest size asked of it. Ops that run layer after layer (the
 * direct convolution's channels-last copies) would otherwise allocate and zero tens of megabytes per
 * layer per batch, which costs memory bandwidth, garbage-collector work and peak heap.
 *
 * <p>A buffer belongs to the caller until the same thread asks for the same slot again, so a slot must
 * never be held across a call that may use it; its contents on return are whatever was left in it. The
 * buffers live as long as their thread (a thread that has run a ResNet18-CIFAR pass at batch 64 keeps
 * about 80 MB).
 */
public final class Workspace {
    private Workspace() {}

    /** What a buffer is for; one buffer per slot per thread. */
    public enum Slot {
        /** The zero-bordered channels-last copy of a convolution's input. */
        CONV_INPUT,
        /** A convolution's channels-last output, before it is copied to NCHW. */
        CONV_OUTPUT,
        /** The zero-bordered channels-last copy of a convolution's output gradient. */
        CONV_OUTPUT_GRAD,
        /** A convolution's channels-last input gradient, before it is copied to NCHW. */
        CONV_INPUT_GRAD,
        /** A convolution's weight gradient in the tap-major layout of the implicit GEMM. */
        CONV_WEIGHT_GRAD,
        /** One task's Winograd-transformed input tiles. */
        WINOGRAD_TILES,
        /** One task's Winograd products, before the output transform. */
        WINOGRAD_PRODUCTS,
        /** Scratch rows of a Winograd transform. */
        WINOGRAD_SCRATCH,
        /** One task's Winograd weight-gradient product for one position, before it joins the task's partial sums. */
        WINOGRAD_GRADIENT_PRODUCT,
        /** The per-tile-group partial sums of a Winograd weight gradient, summed in group order. */
        WINOGRAD_GRADIENT_PARTIALS,
        /** The partial sums of one task's register tiles in the implicit GEMM. */
        IMPLICIT_GEMM_TILES,
        /** One weight-gradient task's packed panels of a chunk of rows in the implicit GEMM. */
        IMPLICIT_GEMM_PANELS,
        /** The gradient of a fused Linear's pre-activation (before its GELU), read by its dX and dW products. */
        LINEAR_ACTIVATION_GRAD,
        /** A fused MLP's hidden activation: its GELU output, then in backward the same again, dh and dz. */
        MLP_HIDDEN,
        /** An im2col convolution's column matrix of one chunk of images (or, in backward, its gradient). */
        IM2COL_COLUMNS,
        /**
         * An im2col convolution's output or output gradient of one chunk of images, in the chunk layout
         * {@code [O, images·pixels]}.
         */
        IM2COL_CHUNK
    }

    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[Slot.values().length][]);

    /**
     * This thread's buffer for {@code slot}, at least {@code size} floats long; its contents are undefined.
     *
     * @param slot what the buffer is for
     * @param size the minimum length, in floats, {@code >= 0}
     * @return the buffer; a new one is allocated only when the slot had none or a shorter one
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public static float[] get(Slot slot, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("Workspace: negative size " + size + " for " + slot);
        }
        float[][] buffers = BUFFERS.get();
        float[] b = buffers[slot.ordinal()];
        if (b == null || b.length < size) {
            b = new float[size];
            buffers[slot.ordinal()] = b;
        }
        return b;
    }
}
