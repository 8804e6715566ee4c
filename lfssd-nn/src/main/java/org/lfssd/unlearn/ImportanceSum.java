package org.lfssd.unlearn;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * An importance pass before its one final division: per parameter, the float sum of |gradient| (LFSSD) or
 * gradient² (SSD) over the batches ({@link Reduction#REFERENCE}) or samples ({@link Reduction#PER_SAMPLE})
 * of one part of a data set, with the counts and provenance that {@link Importance} carries.
 *
 * <p>This is how a pass split over processes or machines gives the result of one pass: each worker sums
 * its consecutive part of the data ({@link Unlearner#importanceSum}), the parts are added in data order
 * ({@link #plus}) and the total is divided once ({@link #toImportance}). Adding parts re-associates the
 * float sums, so the result equals the single pass within float rounding; it equals it bit for bit when
 * every part after the first holds exactly one batch (reference) or one sample (per sample), since then
 * the additions happen in the single pass's order.
 *
 * <p>Instances are immutable; the tensors must not be modified.
 */
public final class ImportanceSum {
    private final Map<String, Tensor> sums;
    private final Method method;
    private final Reduction reduction;
    private final int batchSize;
    private final long sampleCount;
    private final long batchCount;
    private final String weightHash;

    ImportanceSum(Map<String, Tensor> sums, Method method, Reduction reduction, int batchSize, long sampleCount,
                  long batchCount, String weightHash) {
        this.sums = Collections.unmodifiableMap(new LinkedHashMap<>(sums));
        this.method = method;
        this.reduction = reduction;
        this.batchSize = batchSize;
        this.sampleCount = sampleCount;
        this.batchCount = batchCount;
        this.weightHash = weightHash;
    }

    /**
     * Rebuilds a sum from its parts, e.g. after it crossed a process boundary. The tensors are copied.
     *
     * @param sums        parameter name → summed |gradient| or gradient², in the model's parameter order
     * @param method      the importance method
     * @param reduction   the reduction
     * @param batchSize   the nominal batch size of the pass
     * @param sampleCount the samples summed over, at least 1
     * @param batchCount  the batches summed over, at least 1
     * @param weightHash  the fingerprint of the weights (see {@link Importance#weightHash()})
     * @return the sum
     * @throws IllegalArgumentException if there are no tensors, a count is below 1 or a value is negative or
     *         not finite
     */
    public static ImportanceSum of(Map<String, Tensor> sums, Method method, Reduction reduction, int batchSize,
                                  long sampleCount, long batchCount, String weightHash) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(reduction, "reduction");
        Objects.requireNonNull(weightHash, "weightHash");
        if (sums.isEmpty()) {
            throw new IllegalArgumentException("ImportanceSum: no parameters");
        }
        if (sampleCount < 1 || batchCount < 1 || batchSize < 1) {
            throw new IllegalArgumentException("ImportanceSum: need at least one sample and one batch, got " + sampleCount
                    + " samples, " + batchCount + " batches, batch size " + batchSize);
        }
        Map<String, Tensor> copies = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : sums.entrySet()) {
            float[] d = e.getValue().toArray();
            for (int i = 0; i < d.length; i++) {
                if (!(d[i] >= 0) || d[i] == Float.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("ImportanceSum: parameter '" + e.getKey() + "' has value " + d[i]
                            + " at element " + i + "; sums of |gradient| or gradient² are finite and >= 0");
                }
            }
            copies.put(e.getKey(), Tensor.wrap(d, 0, e.getValue().shape()));
        }
        return new ImportanceSum(copies, method, reduction, batchSize, sampleCount, batchCount, weightHash);
    }

    /**
     * Parameter name → summed |gradient| or gradient², in the model's parameter order.
     *
     * @return an unmodifiable view (the tensors are live; do not modify)
     */
    public Map<String, Tensor> sums() {
        return sums;
    }

    /** {@return the importance method} */
    public Method method() {
        return method;
    }

    /** {@return the reduction} */
    public Reduction reduction() {
        return reduction;
    }

    /** {@return the nominal batch size of the pass} */
    public int batchSize() {
        return batchSize;
    }

    /** {@return the number of samples summed over} */
    public long sampleCount() {
        return sampleCount;
    }

    /** {@return the number of batches summed over} */
    public long batchCount() {
        return batchCount;
    }

    /** {@return the fingerprint of the weights the sum was computed on} */
    public String weightHash() {
        return weightHash;
    }

    /**
     * This sum followed by {@code later}, the sum over the part of the data that comes right after this one:
     * element-wise {@code this + later} in float, counts added.
     *
     * @param later the sum over the next part of the same data set, on the same weights
     * @return the sum over both parts
     * @throws IllegalArgumentException if method, reduction, batch size, weights, parameter names or shapes
     *         differ, or the counts overflow
     */
    public ImportanceSum plus(ImportanceSum later) {
        if (later.method != method || later.reduction != reduction) {
            throw new IllegalArgumentException("ImportanceSum.plus: " + method + "/" + reduction + " and " + later.method
                    + "/" + later.reduction + " do not add up");
        }
        if (later.batchSize != batchSize) {
            throw new IllegalArgumentException("ImportanceSum.plus: batch sizes " + batchSize + " and " + later.batchSize
                    + " do not form one pass");
        }
        if (!later.weightHash.equals(weightHash)) {
            throw new IllegalArgumentException("ImportanceSum.plus: the parts were computed on different weights ("
                    + weightHash + " vs " + later.weightHash + ")");
        }
        if (!later.sums.keySet().equals(sums.keySet())) {
            throw new IllegalArgumentException("ImportanceSum.plus: parameter sets differ (" + sums.size() + " vs "
                    + later.sums.size() + " parameters)");
        }
        if (Long.MAX_VALUE - sampleCount < later.sampleCount || Long.MAX_VALUE - batchCount < later.batchCount) {
            throw new IllegalArgumentException("ImportanceSum.plus: the combined counts overflow a long");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : sums.entrySet()) {
            Tensor a = e.getValue();
            Tensor b = later.sums.get(e.getKey());
            if (!Arrays.equals(a.shape(), b.shape())) {
                throw new IllegalArgumentException("ImportanceSum.plus: parameter '" + e.getKey() + "' has shape "
                        + Shapes.str(a.shape()) + " here and " + Shapes.str(b.shape()) + " in the later part");
            }
            float[] s = a.toArray();
            float[] db = b.data();
            int ob = b.offset();
            for (int i = 0; i < s.length; i++) {
                s[i] += db[ob + i];
            }
            out.put(e.getKey(), Tensor.wrap(s, 0, a.shape()));
        }
        return new ImportanceSum(out, method, reduction, batchSize, sampleCount + later.sampleCount,
                batchCount + later.batchCount, weightHash);
    }

    /**
     * Divides once by the batch count ({@link Reduction#REFERENCE}) or the sample count
     * ({@link Reduction#PER_SAMPLE}), exactly as a single pass does at its end.
     *
     * @return the importance
     */
    public Importance toImportance() {
        Map<String, Tensor> values = new LinkedHashMap<>();
        sums.forEach((name, t) -> values.put(name, Tensor.wrap(t.toArray(), 0, t.shape())));
        // |B(S)|: batches for the reference reduction, samples (batches of one) for the per-sample one.
        ImportancePass.divide(values, reduction == Reduction.REFERENCE ? (float) batchCount : (float) sampleCount);
        return new Importance(values, method, reduction, batchSize, sampleCount, batchCount, weightHash);
    }

    @Override
    public String toString() {
        return "ImportanceSum(" + method + ", " + reduction + ", " + sums.size() + " tensors, " + sampleCount
                + " samples in " + batchCount + " batches of " + batchSize + ")";
    }
}
