package org.lfssd.unlearn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Predicate;
import org.lfssd.autograd.FrozenParameters;
import org.lfssd.autograd.GradMode;
import org.lfssd.autograd.ShardedBackward;
import org.lfssd.autograd.Var;
import org.lfssd.data.Batch;
import org.lfssd.data.Batches;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * One importance pass: Ω_S of every selected parameter θ on a data set S, as the authors compute it
 * ({@code ssd.py::calc_importance}; ALGORITHM.md §2):
 *
 * <pre>
 *   Ω_S = (1/|B(S)|) · Σ_{b ∈ B(S)} h(∇θ L_b)
 * </pre>
 *
 * <ul>
 *   <li>B(S) are the batches of S in their order ({@link Reduction#REFERENCE}), or its single samples
 *       ({@link Reduction#PER_SAMPLE});</li>
 *   <li>L_b is the {@link Method}'s batch-mean loss on b ({@link Method#loss});</li>
 *   <li>h is applied element-wise: |g| for LFSSD, g² for SSD ({@link Method#accumulate}).</li>
 * </ul>
 *
 * <p>The model runs in eval mode; the caller's training flags are restored and the parameters' gradients
 * cleared afterwards, also when the pass fails. Float operations happen in the reference's order: the terms
 * are added to the running sum one batch after another, and the sum is divided (not multiplied by a
 * reciprocal) at the end.
 *
 * <p>Threads: each batch's gradient is computed on fixed shards of the batch, one thread per shard, and the
 * shards' gradients are summed in shard order ({@link ShardedBackward}: {@code ∇θ L_b = Σ_s ∇θ L_{b,s}}). The
 * shard count ({@code lfssd.shards}, default 2, at most the batch size) fixes the order of additions, so the
 * bits do not depend on the thread count. The model's {@code forward} therefore runs on several threads at
 * once: a custom module must not write shared state in it (the library's modules write none in eval mode).
 *
 * <p>Memory: every batch has the same shapes, so the arrays of one shard's step (activations, gradients)
 * are handed to its next step through a {@link StepArena} instead of being allocated and zeroed again;
 * the knob {@code lfssd.arena=off} turns that off ({@code checked} fills each freed array with NaN, so that
 * an op that reads an element it did not write shows in the result). Tensors a model makes during a step are therefore valid
 * only during that step: a custom module must not keep one from one forward call to the next.
 */
final class ImportancePass {
    private final Method method;
    private final Reduction reduction;
    private final Predicate<String> parameterFilter;
    private final ProgressListener progress;

    ImportancePass(Method method, Reduction reduction, Predicate<String> parameterFilter, ProgressListener progress) {
        this.method = method;
        this.reduction = reduction;
        this.parameterFilter = parameterFilter;
        this.progress = progress;
    }

    Importance run(Module model, Iterable<Batch> batches, String phase) {
        return accumulate(model, batches, phase, 0).toImportance();
    }

    /**
     * The pass without its final division: {@code Σ_b h(∇θ L_b)} with its counts ({@link ImportanceSum#toImportance}
     * divides by |B(S)|). {@code nominalBatchSize} is the batch size to record (every batch must be at most that),
     * or 0 to take it from {@link Batches} or else the largest batch.
     */
    ImportanceSum accumulate(Module model, Iterable<Batch> batches, String phase, int nominalBatchSize) {
        if (!GradMode.isEnabled()) {
            throw new IllegalStateException("importance pass needs gradients, but grad mode is disabled on this thread"
                    + " (called inside GradMode.disabled())");
        }
        Map<String, Var> params = ParameterSelection.select(model, parameterFilter);
        if (params.isEmpty()) {
            throw new IllegalArgumentException("importance pass: the parameter filter accepts none of the model's "
                    + model.namedParameters().size() + " parameters");
        }
        String weightHash = WeightFingerprint.of(model);
        Map<String, Tensor> sum = zerosLike(params);   // Σ_b h(∇θ L_b), per parameter

        long total = batches instanceof Collection<?> c ? c.size() : -1;
        long batchCount = 0;
        long sampleCount = 0;
        int maxBatch = 0;
        TrainingModes modes = TrainingModes.capture(model);
        model.eval();
        long startNanos = System.nanoTime();
        progress.onStart(phase, total);
        // The weights do not change during the pass, so forms derived from them (reordered, transformed,
        // packed) are computed for the first batch and reused by the others.
        List<Tensor> weights = new ArrayList<>();
        model.namedParameters().values().forEach(p -> weights.add(p.value()));
        List<String> names = new ArrayList<>(params.keySet());
        ShardedBackward shards = null;
        int shardedBatchSize = -1;
        try (FrozenParameters frozen = FrozenParameters.of(weights)) {
            model.clearGrads();
            for (Batch batch : batches) {
                checkInterrupted(phase, batchCount);
                if (nominalBatchSize > 0 && batch.size() > nominalBatchSize) {
                    throw new IllegalArgumentException("importance pass (" + phase + "): batch " + batchCount + " has "
                            + batch.size() + " samples, more than the nominal batch size " + nominalBatchSize);
                }
                int stepBatchSize = reduction == Reduction.REFERENCE ? batch.size() : 1;
                if (stepBatchSize != shardedBatchSize) {
                    // New shapes (a shorter last batch): drop the old arrays before the step, not after it.
                    if (shards != null) {
                        shards.close();
                    }
                    shards = new ShardedBackward(new ArrayList<>(params.values()), stepBatchSize,
                            ShardedBackward.configuredShards());
                    shardedBatchSize = stepBatchSize;
                }
                if (reduction == Reduction.REFERENCE) {
                    addTerm(model, batch, batchCount, names, sum, shards);
                } else {
                    for (int i = 0; i < batch.size(); i++) {
                        addTerm(model, batch.slice(i, i + 1), batchCount, names, sum, shards);
                    }
                }
                batchCount++;
                sampleCount += batch.size();
                maxBatch = Math.max(maxBatch, batch.size());
                progress.onProgress(phase, batchCount, total, sampleCount);
            }
        } finally {
            model.clearGrads();
            modes.restore();
            if (shards != null) {
                shards.close();
            }
        }
        if (batchCount == 0) {
            throw new IllegalArgumentException("importance pass (" + phase + "): no batches");
        }
        progress.onFinish(phase, batchCount, sampleCount, System.nanoTime() - startNanos);
        // PyTorch's DataLoader semantics: the nominal batch size, even if every batch here was short.
        int batchSize = nominalBatchSize > 0 ? nominalBatchSize : batches instanceof Batches b ? b.batchSize() : maxBatch;
        return new ImportanceSum(sum, method, reduction, batchSize, sampleCount, batchCount, weightHash);
    }

    /**
     * One term of the sum: {@code ∇θ L_b} as the sum of the shards' gradients (each shard forward, its share of
     * {@code L_b}, backward), then {@code sum += h(∇θ L_b)} for every parameter that got a gradient.
     */
    private void addTerm(Module model, Batch batch, long batchIndex, List<String> names, Map<String, Tensor> sum,
                         ShardedBackward shards) {
        shards.run((s, start, end) -> {
            Batch part = shards.shards() == 1 ? batch : batch.slice(start, end);
            Var logits = model.forward(Var.constant(part.images()));
            if (logits.dim() != 2 || logits.size(0) != part.size()) {
                throw new IllegalArgumentException("importance pass: the model's output for batch " + batchIndex
                        + (part == batch ? "" : " (samples " + start + " to " + (end - 1) + ")") + " has shape "
                        + Shapes.str(logits.shape()) + "; expected logits [" + part.size() + ", classes]");
            }
            return method.loss(logits, part, batchIndex, batch.size());
        });
        List<GradientAccumulation.Term> terms = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            Tensor g = shards.gradient(i);
            // A parameter the loss does not reach keeps importance 0, as in the reference (p.grad is None).
            if (g != null) {
                terms.add(new GradientAccumulation.Term(names.get(i), g, sum.get(names.get(i))));
            }
        }
        GradientAccumulation.accumulate(method, terms, batchIndex);
    }

    private static Map<String, Tensor> zerosLike(Map<String, Var> params) {
        Map<String, Tensor> zeros = new LinkedHashMap<>();
        params.forEach((name, p) -> zeros.put(name, Tensor.zeros(p.value().shape())));
        return zeros;
    }

    /** {@code Ω = sum / count} in place; the reference divides ({@code imp /= n}), a reciprocal multiply would round differently. */
    static void divide(Map<String, Tensor> sum, float count) {
        for (Tensor t : sum.values()) {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] /= count;
            }
        }
    }

    private static void checkInterrupted(String phase, long batchesDone) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("importance pass (" + phase + ") interrupted after " + batchesDone + " batches");
        }
    }
}
