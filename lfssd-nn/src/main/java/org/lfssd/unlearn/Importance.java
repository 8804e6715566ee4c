package org.lfssd.unlearn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.lfssd.autograd.Var;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Per-parameter importances Ω (one non-negative tensor per parameter, in model order) together with how
 * they were computed: the method, the reduction, the batch size, how many samples and batches went in,
 * and a fingerprint of the model state they were computed on.
 *
 * <p>The provenance is what lets {@link Unlearner} refuse to combine an Ω_D with a model it does not
 * describe (other weights, other method, other parameters), and what makes {@link #merge} exact.
 * Instances are immutable; the tensors must not be modified.
 */
public final class Importance {
    private final Map<String, Tensor> values;
    private final Method method;
    private final Reduction reduction;
    private final int batchSize;
    private final long sampleCount;
    private final long batchCount;
    private final String weightHash;
    /** How the images were prepared before the pass, as the caller described it; null when not recorded. */
    private final String preprocessing;

    Importance(Map<String, Tensor> values, Method method, Reduction reduction, int batchSize, long sampleCount,
               long batchCount, String weightHash) {
        this(values, method, reduction, batchSize, sampleCount, batchCount, weightHash, null);
    }

    private Importance(Map<String, Tensor> values, Method method, Reduction reduction, int batchSize, long sampleCount,
                       long batchCount, String weightHash, String preprocessing) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("Importance: no parameters");
        }
        if (sampleCount < 1 || batchCount < 1 || batchSize < 1) {
            throw new IllegalArgumentException("Importance: need at least one sample and one batch, got " + sampleCount
                    + " samples, " + batchCount + " batches, batch size " + batchSize);
        }
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.method = method;
        this.reduction = reduction;
        this.batchSize = batchSize;
        this.sampleCount = sampleCount;
        this.batchCount = batchCount;
        this.weightHash = weightHash;
        this.preprocessing = preprocessing;
    }

    /**
     * Parameter name → Ω, in the model's parameter order.
     *
     * @return an unmodifiable view
     */
    public Map<String, Tensor> values() {
        return values;
    }

    /**
     * Ω of one parameter.
     *
     * @param parameter a state-dict name
     * @return Ω of that parameter (live, do not modify)
     */
    public Tensor get(String parameter) {
        Tensor t = values.get(parameter);
        if (t == null) {
            throw new IllegalArgumentException("Importance has no parameter '" + parameter + "'");
        }
        return t;
    }

    /** {@return the parameter names, in the model's order} */
    public Set<String> parameterNames() {
        return values.keySet();
    }

    /** {@return the importance method it was computed with} */
    public Method method() {
        return method;
    }

    /** {@return the reduction it was computed with} */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * The nominal batch size of the pass (the size of every batch but possibly the last).
     *
     * @return the nominal batch size
     */
    public int batchSize() {
        return batchSize;
    }

    /** {@return the number of samples the pass saw} */
    public long sampleCount() {
        return sampleCount;
    }

    /** {@return the number of batches the pass saw} */
    public long batchCount() {
        return batchCount;
    }

    /**
     * SHA-256 (hex) over the names, shapes and float bits of the parameters and buffers it was computed on.
     *
     * @return the fingerprint, 64 hex digits
     */
    public String weightHash() {
        return weightHash;
    }

    /**
     * The preprocessing of the images the pass saw (normalisation, padding, resizing, channels), as recorded by
     * {@link #withPreprocessing}. An Ω is only meaningful for inputs prepared the same way, so a caller that
     * records it can refuse a request whose preprocessing differs. The library itself does not interpret it.
     *
     * @return the recorded description, or empty if none was recorded
     */
    public Optional<String> preprocessing() {
        return Optional.ofNullable(preprocessing);
    }

    /**
     * This importance with a description of the preprocessing its images went through, stored by {@link #save}
     * (metadata {@code preprocessing}, covered by the content checksum) and read back by {@link #load}.
     *
     * @param description any text that identifies the preprocessing exactly, e.g. a canonical JSON object; it
     *                    is compared as a string
     * @return a copy sharing the (immutable) tensors, with the description recorded
     * @throws IllegalArgumentException if {@code description} is empty
     */
    public Importance withPreprocessing(String description) {
        if (description.isEmpty()) {
            throw new IllegalArgumentException("Importance.withPreprocessing: empty description");
        }
        return new Importance(values, method, reduction, batchSize, sampleCount, batchCount, weightHash, description);
    }

    /**
     * The number of scalar parameters covered.
     *
     * @return the total element count of all tensors
     */
    public long elementCount() {
        long n = 0;
        for (Tensor t : values.values()) {
            n += t.numel();
        }
        return n;
    }

    /**
     * Checks that this Ω describes {@code model} as it is now: the same weights and buffers (by fingerprint)
     * and, among the parameters accepted by {@code parameterFilter}, exactly the same names and shapes.
     *
     * @param checkWeights false to skip the fingerprint (for a deliberate reuse of Ω_D after earlier edits)
     * @param model           the model to check against
     * @param parameterFilter the unlearner's parameter filter
     * @throws IllegalArgumentException naming the first mismatch
     */
    public void requireDescribes(Module model, Predicate<String> parameterFilter, boolean checkWeights) {
        requireSameParameters("the model", shapesOfVars(ParameterSelection.select(model, parameterFilter)));
        if (checkWeights) {
            String now = WeightFingerprint.of(model);
            if (!now.equals(weightHash)) {
                throw new IllegalArgumentException("Importance was computed on other weights (SHA-256 " + abbrev(weightHash)
                        + ") than the model now holds (" + abbrev(now) + "); recompute it, or reuse it deliberately by building"
                        + " the unlearner with Unlearner.Builder.allowStaleImportance(true)");
            }
        }
    }

    /** Checks that {@code other} has the same method, reduction, parameter names and shapes. */
    void requireSameKind(Importance other, String otherName) {
        if (other.method != method || other.reduction != reduction) {
            throw new IllegalArgumentException("Importance mismatch: " + method + "/" + reduction + " vs " + otherName + " "
                    + other.method + "/" + other.reduction);
        }
        Map<String, int[]> shapes = new LinkedHashMap<>();
        other.values.forEach((n, t) -> shapes.put(n, t.shape()));
        requireSameParameters(otherName, shapes);
    }

    private void requireSameParameters(String otherName, Map<String, int[]> other) {
        for (Map.Entry<String, int[]> e : other.entrySet()) {
            Tensor mine = values.get(e.getKey());
            if (mine == null) {
                throw new IllegalArgumentException("Importance has no entry for parameter '" + e.getKey() + "' of " + otherName);
            }
            if (!Arrays.equals(mine.shape(), e.getValue())) {
                throw new IllegalArgumentException("Importance of '" + e.getKey() + "' has shape " + Shapes.str(mine.shape())
                        + " but " + otherName + " has shape " + Shapes.str(e.getValue()));
            }
        }
        for (String name : values.keySet()) {
            if (!other.containsKey(name)) {
                throw new IllegalArgumentException("Importance has parameter '" + name + "' that " + otherName + " lacks");
            }
        }
    }

    private static Map<String, int[]> shapesOfVars(Map<String, Var> params) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        params.forEach((n, p) -> shapes.put(n, p.value().shape()));
        return shapes;
    }

    /** The first twelve hex digits of a hash, for messages. */
    static String abbrev(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
    }

    /**
     * Combines importances computed on disjoint parts of one data set, on the same weights, into the
     * importance of their union — exactly, because each Ω is a mean whose weight is known.
     *
     * <ul>
     *   <li>{@link Reduction#REFERENCE}: Ω is a mean over batches, so the parts are weighted by their batch
     *       counts. Equal to one pass over the concatenation when both parts used the same batch size and
     *       the first part ends on a batch boundary.</li>
     *   <li>{@link Reduction#PER_SAMPLE}: Ω is a mean over samples, so the parts are weighted by their sample
     *       counts; this equals one pass for any split.</li>
     * </ul>
     * The weighted means are formed in double and rounded once to float.
     *
     * @param a one part
     * @param b the other part, on disjoint data
     * @return Ω of the union, as one pass over both would give
     * @throws IllegalArgumentException if method, reduction, parameters, shapes or weights differ, or (for
     *         REFERENCE) the batch sizes differ
     */
    public static Importance merge(Importance a, Importance b) {
        a.requireSameKind(b, "the other importance");
        if (!a.weightHash.equals(b.weightHash)) {
            throw new IllegalArgumentException("Importance.merge: the parts were computed on different weights ("
                    + abbrev(a.weightHash) + " vs " + abbrev(b.weightHash) + ")");
        }
        if (!Objects.equals(a.preprocessing, b.preprocessing)) {
            throw new IllegalArgumentException("Importance.merge: the parts were computed on differently preprocessed images ("
                    + a.preprocessing + " vs " + b.preprocessing + ")");
        }
        if (a.reduction == Reduction.REFERENCE && a.batchSize != b.batchSize) {
            throw new IllegalArgumentException("Importance.merge: REFERENCE importances with batch sizes " + a.batchSize
                    + " and " + b.batchSize + " do not combine into one pass");
        }
        if (Long.MAX_VALUE - a.sampleCount < b.sampleCount || Long.MAX_VALUE - a.batchCount < b.batchCount) {
            throw new IllegalArgumentException("Importance.merge: the combined counts overflow a long (" + a.sampleCount
                    + " + " + b.sampleCount + " samples, " + a.batchCount + " + " + b.batchCount + " batches)");
        }
        boolean bySamples = a.reduction == Reduction.PER_SAMPLE;
        double wa = bySamples ? a.sampleCount : a.batchCount;
        double wb = bySamples ? b.sampleCount : b.batchCount;
        double total = wa + wb;
        Map<String, Tensor> merged = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : a.values.entrySet()) {
            Tensor ta = e.getValue();
            Tensor tb = b.values.get(e.getKey());
            Tensor out = Tensor.zeros(ta.shape());
            float[] da = ta.data();
            float[] db = tb.data();
            float[] o = out.data();
            int oa = ta.offset();
            int ob = tb.offset();
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) ((wa * da[oa + i] + wb * db[ob + i]) / total);
            }
            merged.put(e.getKey(), out);
        }
        // Both sums were checked against overflow above.
        return new Importance(merged, a.method, a.reduction, Math.max(a.batchSize, b.batchSize),
                a.sampleCount + b.sampleCount, a.batchCount + b.batchCount, a.weightHash, a.preprocessing);
    }

    /**
     * Writes Ω and its provenance to a safetensors file: one F32 tensor per parameter, and metadata
     * {@code format}, {@code format_version}, {@code method}, {@code reduction}, {@code batch_size},
     * {@code samples}, {@code batches}, {@code weights_sha256}, {@code parameter_order} (the names,
     * newline-separated, since a JSON header does not keep the model order), {@code preprocessing} when one was
     * recorded ({@link #withPreprocessing}) and {@code content_sha256}, a
     * checksum over all of these and every value, verified by {@link #load}. The file is replaced atomically.
     *
     * @param file the file to write (replaced if it exists)
     * @throws IOException if it cannot be written
     * @throws IllegalArgumentException if a parameter name contains a newline (it could not be read back)
     */
    public void save(Path file) throws IOException {
        ImportanceFile.write(this, file);
    }

    /**
     * Reads a file written by {@link #save}. When the file carries {@code content_sha256} (every file saved
     * since it was introduced), the values and metadata must match it, so corruption, e.g. of the sample
     * counts that steer the adaptive α, is caught. This is not a defence against deliberate forgery (the
     * checksum can be recomputed); that is the job of the audit record, which hashes the files.
     *
     * @param file a file written by {@link #save}
     * @return the importance with its provenance
     * @throws IOException if the file is not an importance file, its metadata is inconsistent, or its content
     *     does not match its checksum
     */
    public static Importance load(Path file) throws IOException {
        return ImportanceFile.read(file);
    }

    @Override
    public String toString() {
        return "Importance(" + method + ", " + reduction + ", " + values.size() + " tensors, " + elementCount()
                + " elements, " + sampleCount + " samples in " + batchCount + " batches of " + batchSize
                + ", weights " + abbrev(weightHash) + (preprocessing == null ? "" : ", preprocessing " + preprocessing) + ")";
    }
}
