package org.lfssd.kernels;

/** The elementwise unary functions the kernel providers implement, forward and backward. */
public enum UnaryOp {
    NEG,
    ABS,
    SQUARE,
    SQRT,
    EXP,
    LOG,
    RELU,
    /** GELU in the exact erf form, {@code x * Phi(x)}, as PyTorch's default. */
    GELU
}
