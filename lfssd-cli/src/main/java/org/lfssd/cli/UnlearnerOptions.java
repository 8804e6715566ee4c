package org.lfssd.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.lfssd.unlearn.Method;
import org.lfssd.unlearn.ProgressListener;
import org.lfssd.unlearn.Reduction;
import org.lfssd.unlearn.Unlearner;
import picocli.CommandLine.Option;

/** The importance method and the selection settings. */
final class UnlearnerOptions {
    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "lfssd",
            description = "lfssd (label-free, default) or ssd (diagonal Fisher, needs labels).")
    String method;

    @Option(names = "--reduction", paramLabel = "R", defaultValue = "reference",
            description = "reference (the authors' per-batch mean, default) or per-sample.")
    String reduction;

    @Option(names = "--alpha", paramLabel = "A", description = "Selection threshold: dampen where Omega_f > A * Omega_D (default 10).")
    Double alpha;

    @Option(names = "--adaptive-alpha", description = "Choose alpha per request by the ASSD percentile rule.")
    boolean adaptiveAlpha;

    @Option(names = "--lambda", paramLabel = "L", defaultValue = "1", description = "Dampening constant (default ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", defaultValue = "64",
            description = "Batch size of the importance passes (default ${DEFAULT-VALUE}; the reference reduction depends on it).")
    int batchSize;

    Method method() {
        return switch (method.toLowerCase(Locale.ROOT)) {
            case "lfssd" -> Method.LFSSD;
            case "ssd" -> Method.SSD;
            default -> throw new InputRejectedException("--method must be lfssd or ssd, got " + method);
        };
    }

    Reduction reduction() {
        return switch (reduction.toLowerCase(Locale.ROOT)) {
            case "reference" -> Reduction.REFERENCE;
            case "per-sample", "per_sample" -> Reduction.PER_SAMPLE;
            default -> throw new InputRejectedException("--reduction must be reference or per-sample, got " + reduction);
        };
    }

    int batchSize() {
        if (batchSize < 1) {
            throw new InputRejectedException("--batch-size must be >= 1, got " + batchSize);
        }
        return batchSize;
    }

    Unlearner build(ProgressListener progress, boolean allowStale) {
        if (adaptiveAlpha && alpha != null) {
            throw new InputRejectedException("give either --alpha or --adaptive-alpha, not both");
        }
        Unlearner.Builder b = Unlearner.builder(method()).reduction(reduction()).lambda(lambda).progress(progress)
                .allowStaleImportance(allowStale);
        return (adaptiveAlpha ? b.adaptiveAlpha() : b.alpha(alpha == null ? 10 : alpha)).build();
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method().name());
        m.put("reduction", reduction().name());
        m.put("alpha", adaptiveAlpha ? null : (alpha == null ? 10.0 : alpha));
        m.put("adaptive_alpha", adaptiveAlpha);
        m.put("lambda", lambda);
        m.put("batch_size", batchSize);
        return m;
    }
}
