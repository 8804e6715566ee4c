package org.lfssd.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;
import org.lfssd.data.Dataset;
import org.lfssd.data.Shuffle;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.models.ResNet18;
import org.lfssd.nn.Module;
import org.lfssd.optim.SGD;
import org.lfssd.optim.SgdOptions;
import org.lfssd.optim.TrainStep;
import org.lfssd.unlearn.DampeningReport;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.ProgressListener;
import org.lfssd.unlearn.Unlearner;

/**
 * End-to-end demo: train a reduced-width ResNet18 on (a subset of) Fashion-MNIST, then make it forget one
 * class with LFSSD (or SSD) and compare per-class test accuracy before and after.
 *
 * <p>Run {@code --help} for the options. The defaults finish in about a minute or two on two cores.
 */
public final class Main {
    private Main() {}

    /** Fashion-MNIST's pixel mean and standard deviation over the training set (after scaling to [0, 1]). */
    private static final float PIXEL_MEAN = 0.2860f;
    private static final float PIXEL_STD = 0.3530f;

    public static void main(String[] args) throws IOException {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        run(options, System.out, System.err);
    }

    /** Runs the demo; returns the dampening report. Output goes to {@code out}, progress lines to {@code progress}. */
    static DampeningReport run(DemoOptions o, PrintStream out, PrintStream progress) throws IOException {
        if (o.threads() > 0) {
            Parallel.setThreads(o.threads());
        }
        String className = FashionMnist.CLASS_NAMES.get(o.forgetClass());
        Dataset train = o.dataDir() == null ? FashionMnist.embedded(FashionMnist.Split.TRAIN)
                : FashionMnist.fromDirectory(o.dataDir(), FashionMnist.Split.TRAIN);
        Dataset test = o.dataDir() == null ? FashionMnist.embedded(FashionMnist.Split.TEST)
                : FashionMnist.fromDirectory(o.dataDir(), FashionMnist.Split.TEST);
        if (o.trainLimit() > 0 && o.trainLimit() < train.size()) {
            train = train.first(o.trainLimit());
        }
        train = train.normalized(PIXEL_MEAN, PIXEL_STD);
        test = test.normalized(PIXEL_MEAN, PIXEL_STD);
        int k = o.forgetClass();
        // The authors' D = ConcatDataset(retain, forget): the forget samples last, in their original order.
        Dataset forget = train.whereLabel(y -> y == k);
        Dataset full = train.whereLabel(y -> y != k).concat(forget);

        out.printf(Locale.ROOT, "Fashion-MNIST %s: %,d training / %,d test images; forgetting class %d (%s), %,d training images%n",
                o.dataDir() == null ? "(embedded subset)" : o.dataDir().toString(), train.size(), test.size(), k, className,
                forget.size());
        out.printf(Locale.ROOT, "kernels: provider=%s, gemm=%s, threads=%d; JDK %s%n", Kernels.provider().name(),
                Kernels.gemm().getClass().getSimpleName(), Parallel.threads(), Runtime.version());

        ResNet18 model = new ResNet18(FashionMnist.NUM_CLASSES, 1, o.widthDivisor(), new SplittableRandom(o.seed()));
        out.printf(Locale.ROOT, "model: ResNet18 (width 1/%d), %,d parameters%n", o.widthDivisor(), model.parameterCount());
        train(model, train, o, out, progressPrinter(progress));

        Accuracy before = Accuracy.of(model, test, o.batchSize(), FashionMnist.NUM_CLASSES, "evaluation (test set)",
                ProgressListener.logging());
        Accuracy beforeForgetTrain = Accuracy.of(model, forget, o.batchSize(), FashionMnist.NUM_CLASSES,
                "evaluation (forget set)", ProgressListener.logging());
        printAccuracy(out, "before", before, beforeForgetTrain, k);

        Unlearner.Builder builder = Unlearner.builder(o.method()).reduction(o.reduction()).lambda(o.lambda())
                .progress(progressPrinter(progress));
        Unlearner unlearner = (o.adaptiveAlpha() ? builder.adaptiveAlpha() : builder.alpha(o.alpha())).build();
        out.println("unlearner: " + unlearner);
        out.printf(Locale.ROOT, "  (Omega_D includes the forget set, %.1f%% of D, in batches of its own (the authors' order),"
                        + " so ratios Omega_f/Omega_D stay below about 1/phi = %.1f: the papers' fixed alpha = 10 would select"
                        + " little or nothing here)%n",
                100.0 * forget.size() / full.size(), full.size() / (double) forget.size());
        long t0 = System.nanoTime();
        Importance omegaD = unlearner.importance(model, full.batches(o.batchSize()));
        out.printf(Locale.ROOT, "Omega_D over %,d images in %,d batches: %.1f s%n", omegaD.sampleCount(), omegaD.batchCount(),
                (System.nanoTime() - t0) / 1e9);
        DampeningReport report = unlearner.forget(model, forget.batches(o.batchSize()), omegaD);
        out.print(report);
        if (report.nothingSelected()) {
            out.printf(Locale.ROOT, "nothing was forgotten: the largest ratio present is %.4g, not above alpha=%.3g;"
                            + " try a smaller --alpha, or leave it out to use the adaptive one%n",
                    report.maxRatio(), report.alpha());
        }

        Accuracy after = Accuracy.of(model, test, o.batchSize(), FashionMnist.NUM_CLASSES, "evaluation (test set)",
                ProgressListener.logging());
        Accuracy afterForgetTrain = Accuracy.of(model, forget, o.batchSize(), FashionMnist.NUM_CLASSES,
                "evaluation (forget set)", ProgressListener.logging());
        printAccuracy(out, "after", after, afterForgetTrain, k);
        out.println("per-class test accuracy (before -> after):");
        for (int c = 0; c < FashionMnist.NUM_CLASSES; c++) {
            out.printf(Locale.ROOT, "  %d %-12s %6.1f%% -> %6.1f%%%s%n", c, FashionMnist.CLASS_NAMES.get(c),
                    100 * before.ofClass(c), 100 * after.ofClass(c), c == k ? "   (forgotten)" : "");
        }
        return report;
    }

    private static void train(Module model, Dataset train, DemoOptions o, PrintStream out, ProgressListener progress) {
        SGD sgd = new SGD(model.namedParameters().values(), SgdOptions.learningRate(o.lr()).momentum(0.9).weightDecay(5e-4));
        SplittableRandom shuffle = new SplittableRandom(o.seed() + 1);
        for (int epoch = 1; epoch <= o.epochs(); epoch++) {
            long t0 = System.nanoTime();
            Dataset epochData = train.select(Shuffle.permutation(train.size(), shuffle));
            double lossSum = 0;
            int steps = 0;
            var batches = epochData.batches(o.batchSize());
            for (var b : batches) {
                lossSum += TrainStep.crossEntropy(model, sgd, b.images(), b.labels());
                steps++;
                progress.onProgress("training epoch " + epoch, steps, batches.size());
            }
            out.printf(Locale.ROOT, "epoch %d/%d: mean loss %.4f (%.1f s)%n", epoch, o.epochs(), lossSum / steps,
                    (System.nanoTime() - t0) / 1e9);
        }
    }


    private static void printAccuracy(PrintStream out, String when, Accuracy test, Accuracy forgetTrain, int k) {
        out.printf(Locale.ROOT, "%s: test accuracy on retained classes %.1f%%, on the forgotten class %.1f%%;"
                        + " forget-set (training) accuracy %.1f%%%n",
                when, 100 * test.over(c -> c != k), 100 * test.ofClass(k), 100 * forgetTrain.ofClass(k));
    }

    /**
     * Progress on {@code err}: one line rewritten in place on a terminal; otherwise (logs, pipes) a line at
     * every quarter of the pass, so that captured output stays short.
     */
    private static ProgressListener progressPrinter(PrintStream err) {
        boolean interactive = System.console() != null;
        return (phase, done, total) -> {
            if (interactive) {
                err.printf(Locale.ROOT, "\r  %s: %d/%s batches", phase, done, total < 0 ? "?" : Long.toString(total));
                if (done == total) {
                    err.println();
                }
            } else if (total > 0 && (done == total || done * 4 / total != (done - 1) * 4 / total)) {
                err.printf(Locale.ROOT, "  %s: %d/%d batches%n", phase, done, total);
            }
            err.flush();
        };
    }
}
