package org.lfssd.unlearn;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Predicate;
import org.lfssd.autograd.GradMode;
import org.lfssd.autograd.Var;
import org.lfssd.data.Batch;
import org.lfssd.data.Batches;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * One importance pass over a data set: the model in eval mode, one forward/backward per batch (or per
 * sample), the |gradient| or gradient² accumulated per parameter, divided at the end by the number of
 * batches (or samples). The caller's training flags are restored and the parameters' gradients cleared
 * afterwards, also when the pass fails.
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
     * The pass without its final division. {@code nominalBatchSize} is the batch size to record (every batch
     * must be at most that), or 0 to take it from {@link Batches} or else the largest batch.
     */
    ImportanceSum accumulate(Module model, Iterable<Batch> batches, String phase, int nominalBatchSize) {
        if (!GradMode.isEnabled()) {
            throw new IllegalStateException("importance pass needs gradients, but grad mode is disabled on this thread"
                    + " (called inside GradMode.disabled())");
        }
        Map<String, Var> params = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> {
            if (parameterFilter.test(name)) {
                params.put(name, p);
            }
        });
        if (params.isEmpty()) {
            throw new IllegalArgumentException("importance pass: the parameter filter accepts none of the model's "
                    + model.namedParameters().size() + " parameters");
        }
        String weightHash = WeightFingerprint.of(model);
        Map<String, Tensor> acc = new LinkedHashMap<>();
        params.forEach((name, p) -> acc.put(name, Tensor.zeros(p.value().shape())));

        long total = batches instanceof Collection<?> c ? c.size() : -1;
        long batchCount = 0;
        long sampleCount = 0;
        int maxBatch = 0;
        TrainingModes modes = TrainingModes.capture(model);
        model.eval();
        long startNanos = System.nanoTime();
        progress.onStart(phase, total);
        try {
            model.clearGrads();
            for (Batch batch : batches) {
                checkInterrupted(phase, batchCount);
                if (nominalBatchSize > 0 && batch.size() > nominalBatchSize) {
                    throw new IllegalArgumentException("importance pass (" + phase + "): batch " + batchCount + " has "
                            + batch.size() + " samples, more than the nominal batch size " + nominalBatchSize);
                }
                if (reduction == Reduction.REFERENCE) {
                    step(model, batch, batchCount, params, acc);
                } else {
                    for (int i = 0; i < batch.size(); i++) {
                        step(model, batch.slice(i, i + 1), batchCount, params, acc);
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
        }
        if (batchCount == 0) {
            throw new IllegalArgumentException("importance pass (" + phase + "): no batches");
        }
        progress.onFinish(phase, batchCount, sampleCount, System.nanoTime() - startNanos);
        // PyTorch's DataLoader semantics: the nominal batch size, even if every batch here was short.
        int batchSize = nominalBatchSize > 0 ? nominalBatchSize : batches instanceof Batches b ? b.batchSize() : maxBatch;
        return new ImportanceSum(acc, method, reduction, batchSize, sampleCount, batchCount, weightHash);
    }

    /** One forward/backward on {@code batch}; adds |g| or g² of every parameter that got a gradient. */
    private void step(Module model, Batch batch, long batchIndex, Map<String, Var> params, Map<String, Tensor> acc) {
        model.clearGrads();
        Var logits = model.forward(Var.constant(batch.images()));
        if (logits.dim() != 2 || logits.size(0) != batch.size()) {
            throw new IllegalArgumentException("importance pass: the model's output for batch " + batchIndex
                    + " has shape " + Shapes.str(logits.shape()) + "; expected logits [" + batch.size() + ", classes]");
        }
        Var loss = method.loss(logits, batch, batchIndex);
        loss.backward();
        for (Map.Entry<String, Var> e : params.entrySet()) {
            Tensor g = e.getValue().grad();
            // A parameter the loss does not reach keeps importance 0, as in the reference (p.grad is None).
            if (g != null) {
                requireFinite(g, batchIndex, e.getKey());
                method.accumulate(g, acc.get(e.getKey()));
            }
        }
    }

    /**
     * NaN or Inf pixels (or an overflowing model) give a non-finite gradient, which would make Ω non-finite
     * and be refused only much later by the dampening; fail at the first batch, naming it and the parameter.
     */
    private void requireFinite(Tensor g, long batchIndex, String parameter) {
        float[] d = g.data();
        int off = g.offset();
        for (int i = 0; i < g.numel(); i++) {
            if (!Float.isFinite(d[off + i])) {
                throw new IllegalArgumentException("importance pass: batch " + batchIndex + " gives a non-finite gradient ("
                        + d[off + i] + " at element " + i + ") for parameter '" + parameter + "'; check that batch's"
                        + " inputs for NaN or infinite values");
            }
        }
    }

    private static void checkInterrupted(String phase, long batchesDone) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("importance pass (" + phase + ") interrupted after " + batchesDone + " batches");
        }
    }
}
