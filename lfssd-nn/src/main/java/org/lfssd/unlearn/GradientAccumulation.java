package org.lfssd.unlearn;

import java.util.List;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

/**
 * One batch's {@code sum += h(∇θ L_b)} over all selected parameters, shared by the worker threads: every
 * parameter is cut into fixed chunks of {@link #CHUNK} elements, and the chunks of all parameters are the
 * tasks of one parallel loop. Each chunk is checked for non-finite gradient values and, if clean, added
 * into the sum; the first non-finite value (first parameter in the map's order, lowest element) is
 * reported after the loop. (NaN or Inf pixels, or an overflowing model, give a non-finite gradient, which
 * would make Ω non-finite and be refused only much later by the dampening; so the pass fails at the
 * first such batch, naming it and the parameter.)
 *
 * <p>Why: done parameter by parameter on the calling thread, this pass over every gradient and every
 * running sum (5.5 M floats each for ViT-Tiny) was serial work the second thread waited through at the
 * end of each batch. The split depends only on the parameter sizes, and {@code h} works element by
 * element, so the sums are bit-identical on any number of threads.
 */
final class GradientAccumulation {
    private GradientAccumulation() {}

    /** Elements per task: a few tens of microseconds of streaming, enough to amortise the hand-off. */
    static final int CHUNK = 1 << 15;

    /** One parameter's gradient and running sum, under its name. */
    record Term(String name, Tensor gradient, Tensor sum) {}

    /**
     * {@code sum += h(gradient)} for every term, after checking each chunk of the gradient is finite.
     *
     * @throws IllegalArgumentException if a gradient holds a NaN or an infinity, naming the batch, the
     *         parameter, the element and the value (chunks without one are still added)
     */
    static void accumulate(Method method, List<Term> terms, long batchIndex) {
        int[] lengths = new int[terms.size()];
        for (int t = 0; t < terms.size(); t++) {
            lengths[t] = terms.get(t).gradient().numel();
        }
        int[] firstBad = new int[Parallel.chunkCount(lengths, CHUNK)];
        int[] termOf = new int[firstBad.length];
        Parallel.forChunks(lengths, CHUNK, (c, t, start, end) -> {
            Term term = terms.get(t);
            int bad = firstNonFinite(term.gradient(), start, end);
            termOf[c] = t;
            firstBad[c] = bad;
            if (bad < 0) {
                method.accumulate(term.gradient(), term.sum(), start, end);
            }
        });
        for (int c = 0; c < firstBad.length; c++) {
            if (firstBad[c] >= 0) {
                Term term = terms.get(termOf[c]);
                int i = firstBad[c];
                throw new IllegalArgumentException("importance pass: batch " + batchIndex + " gives a non-finite gradient ("
                        + term.gradient().data()[term.gradient().offset() + i] + " at element " + i + ") for parameter '"
                        + term.name() + "'; check that batch's inputs for NaN or infinite values");
            }
        }
    }

    /** The lowest index in {@code [start, end)} whose gradient value is NaN or infinite, or -1. */
    private static int firstNonFinite(Tensor g, int start, int end) {
        float[] d = g.data();
        int off = g.offset();
        for (int i = start; i < end; i++) {
            if (!Float.isFinite(d[off + i])) {
                return i;
            }
        }
        return -1;
    }
}
