package org.lfssd.kernels;

/** The elementwise unary functions the kernel providers implement, forward and backward. */
public enum UnaryOp {
    /** {@code -x}. */
    NEG,
    /** {@code |x|}. */
    ABS,
    /** {@code x * x}. */
    SQUARE,
    /** {@code √x}. */
    SQRT,
    /** {@code e^x}. */
    EXP,
    /** {@code ln x}. */
    LOG,
    /** {@code max(x, 0)}. */
    RELU,
    /** GELU in the exact erf form, {@code x * Phi(x)}, as PyTorch's default. */
    GELU
}
