package org.lfssd.kernels;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the kernel provider and the GEMM once, at first use, and hands them out.
 *
 * <p>Provider ({@code lfssd.kernels=auto|scalar|vector}): the Vector API provider when the
 * {@code jdk.incubator.vector} module is readable (the JVM was started with
 * {@code --add-modules jdk.incubator.vector}); otherwise one WARNING and the scalar provider.
 * The SIMD classes are loaded reflectively so that nothing links against the incubator module
 * unless it is there (the approach of Lucene's VectorizationProvider).
 *
 * <p>GEMM ({@code lfssd.blas=auto|jblas|off}): {@code jblas} probes jblas's native sgemm and uses it
 * if it loads (else logs why, once, and falls back); {@code off} always uses the provider's Java GEMM;
 * {@code auto} uses jblas only where it wins: when no SIMD provider is active (see {@link #gemm()}).
 *
 * <p>Why {@code auto} prefers the Java SIMD GEMM whenever it is available (measured by {@code GemmBenchmark};
 * the figures are in {@code lfssd-bench/results}):
 * jblas 1.2.5's bundled OpenBLAS runs its SSE3 kernels on recent Intel CPUs unless the environment sets
 * {@code OPENBLAS_CORETYPE=SkylakeX}, which a library cannot do for its host process, and then reaches
 * a fraction of the vector GEMM; even with that variable it is single-threaded and its calls must be
 * serialized (it copies whole arrays in and out per call), so it cannot use a second core, and the copy
 * costs most on the tall im2col products of convolutions. Against the scalar Java GEMM
 * jblas wins by an order of magnitude even in SSE3 mode, hence it stays the choice when the Vector API
 * is missing. {@code lfssd.blas=jblas} forces it for those who set the variable and measure a gain.
 */
public final class Kernels {
    private Kernels() {}

    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_PROVIDER = "org.lfssd.kernels.vector.VectorKernels";
    private static final String JBLAS_GEMM = "org.lfssd.kernels.jblas.JblasGemm";
    private static final Logger LOG = System.getLogger("org.lfssd.kernels");

    /** What was chosen, and the warnings logged while choosing. */
    public record Selection(KernelProvider provider, Gemm gemm, int threads, List<String> warnings) {
        @Override
        public String toString() {
            return "provider=" + provider.name() + ", vectorBits=" + provider.vectorBitSize()
                    + ", gemm=" + gemm.name() + ", threads=" + threads;
        }
    }

    private static final class Holder {
        static final Selection SELECTION = select();
    }

    /**
     * The active kernel provider (elementwise, reduction and convolution kernels).
     *
     * @return the provider chosen at first use
     */
    public static KernelProvider provider() {
        return Holder.SELECTION.provider();
    }

    /**
     * The active kernel provider.
     *
     * @return {@link #provider()}
     * @deprecated "ops" also names the autograd {@code XxxOps} classes; use {@link #provider()}
     */
    @Deprecated
    public static KernelProvider ops() {
        return provider();
    }

    /**
     * The active GEMM.
     *
     * @return the GEMM chosen at first use
     */
    public static Gemm gemm() {
        return Holder.SELECTION.gemm();
    }

    /**
     * The whole choice made at first use: provider, GEMM, threads and the warnings logged.
     *
     * @return the selection
     */
    public static Selection selection() {
        return Holder.SELECTION;
    }

    private static Selection select() {
        List<String> warnings = new ArrayList<>();
        String kernels = Config.choice("lfssd.kernels", "auto", "auto", "scalar", "vector");
        String blas = Config.choice("lfssd.blas", "auto", "auto", "jblas", "off");
        KernelProvider provider = chooseProvider(kernels, warnings);
        Gemm gemm = chooseGemm(blas, provider, warnings);
        Selection s = new Selection(provider, gemm, Parallel.threads(), List.copyOf(warnings));
        LOG.log(Level.INFO, "lfssd kernels: " + s);
        return s;
    }

    private static KernelProvider chooseProvider(String kernels, List<String> warnings) {
        if (kernels.equals("scalar")) {
            return new ScalarKernels();
        }
        if (!vectorModuleReadable()) {
            warn(warnings, "The Vector API module is not readable, so the scalar kernels are used and run"
                    + " several times slower. Start the JVM with --add-modules " + VECTOR_MODULE + " to enable SIMD.");
            return new ScalarKernels();
        }
        try {
            return (KernelProvider) Class.forName(VECTOR_PROVIDER).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            warn(warnings, "The Vector API provider failed to load (" + e + "); using the scalar kernels.");
            return new ScalarKernels();
        }
    }

    /** True when this code's module can read jdk.incubator.vector (it is in the boot layer). */
    static boolean vectorModuleReadable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE)
                .map(m -> Kernels.class.getModule().canRead(m) || !Kernels.class.getModule().isNamed())
                .orElse(false);
    }

    private static Gemm chooseGemm(String blas, KernelProvider provider, List<String> warnings) {
        boolean wantJblas = blas.equals("jblas") || (blas.equals("auto") && provider.vectorBitSize() == 0);
        if (wantJblas) {
            try {
                return (Gemm) Class.forName(JBLAS_GEMM).getMethod("probe").invoke(null);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                warn(warnings, "jblas is not usable (" + cause + "); using the Java GEMM " + provider.gemm().name() + ".");
            }
        }
        return provider.gemm();
    }

    private static void warn(List<String> warnings, String message) {
        warnings.add(message);
        LOG.log(Level.WARNING, message);
    }
}
