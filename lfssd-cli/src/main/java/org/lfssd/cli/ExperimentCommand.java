package org.lfssd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import org.lfssd.eval.Accuracy;
import org.lfssd.eval.Experiment;
import org.lfssd.eval.ExperimentResult;
import org.lfssd.eval.ForgettingContext;
import org.lfssd.eval.ForgettingMethod;
import org.lfssd.eval.ForgettingSplit;
import org.lfssd.eval.ImportanceCache;
import org.lfssd.eval.ResultTable;
import org.lfssd.eval.Scenarios;
import org.lfssd.eval.Trainer;
import org.lfssd.eval.TrainingRecipe;
import org.lfssd.nn.Module;
import org.lfssd.unlearn.DampeningReport;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.Method;
import org.lfssd.unlearn.ProgressListener;
import org.lfssd.unlearn.Unlearner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lfssd experiment CONFIG}: a scenario, methods, α values, seeds → CSV, JSON and a report. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run a forgetting experiment from a JSON config (scenario, methods, alpha values or sweep, seeds, data,"
                + " model) and write results.csv, results.json, report.html and report.md.",
        footer = {"", "Config example:",
            "{\"data\": \"fmnist:embedded\", \"train_limit\": 600,",
            " \"model\": {\"arch\": \"resnet18\", \"width_divisor\": 16, \"train\": {\"epochs\": 2, \"lr\": 0.05}},",
            " \"scenario\": {\"kind\": \"full-class\", \"class\": 3},",
            " \"methods\": [\"original\", {\"name\": \"lfssd\", \"alpha\": 10}, \"assd\", {\"name\": \"finetune\", \"epochs\": 1}],",
            " \"alpha_sweep\": {\"method\": \"lfssd\", \"values\": [1, 3, 10, 30]}, \"seeds\": [0]}"})
final class ExperimentCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "The experiment's JSON config.")
    Path config;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "The folder for the results (created if absent).")
    Path outputDir;

    /** A dampening method of the config, kept so the report can rerun it for its plots. */
    private record Dampening(String name, Unlearner unlearner, boolean sweep, double alpha) {}

    @Override
    Map<String, Object> run() throws Exception {
        long t0 = System.nanoTime();
        if (!Files.isRegularFile(config)) {
            throw new InputRejectedException(config + ": no such config file");
        }
        ExperimentConfig cfg = new ExperimentConfig(Json.read(Files.readString(config), config.toString()), config.toString());
        Map<String, Object> root = cfg.root();
        Files.createDirectories(outputDir);
        OutputFiles outputs = new OutputFiles(common.force);
        Path csv = outputs.plan(outputDir.resolve("results.csv"));
        Path json = outputs.plan(outputDir.resolve("results.json"));
        Path html = outputs.plan(outputDir.resolve("report.html"));
        Path md = outputs.plan(outputDir.resolve("report.md"));

        DataOptions dataOpts = new DataOptions();
        dataOpts.source = cfg.string(root, "data", null);
        dataOpts.trainLimit = cfg.integer(root, "train_limit", 0);
        dataOpts.testLimit = cfg.integer(root, "test_limit", 0);
        Map<String, Object> prep = cfg.object(root, "preprocessing", false);
        PreprocessingOptions po = new PreprocessingOptions();
        po.mean = cfg.floats(prep, "mean");
        po.std = cfg.floats(prep, "std");
        po.pad = prep.containsKey("pad") ? cfg.integer(prep, "pad", 0) : null;
        po.resize = prep.containsKey("resize") ? cfg.integer(prep, "resize", 0) : null;
        po.channels = prep.containsKey("channels") ? cfg.integer(prep, "channels", 1) : null;
        po.greyToRgb = cfg.bool(prep, "grey_to_rgb", false);
        dataOpts.preprocessing = po;
        DataOptions.Prepared d = dataOpts.load();
        int batch = cfg.integer(root, "batch_size", 64);
        ProgressListener progress = progress();

        Map<String, Object> modelCfg = cfg.object(root, "model", true);
        Map<String, Double> timings = new LinkedHashMap<>();
        ModelSpec spec;
        Module original;
        if (modelCfg.containsKey("checkpoint")) {
            Path ck = config.toAbsolutePath().getParent().resolve(cfg.string(modelCfg, "checkpoint", null));
            ModelOptions mo = new ModelOptions();
            mo.arch = modelCfg.containsKey("arch") ? cfg.string(modelCfg, "arch", null) : null;
            mo.widthDivisor = modelCfg.containsKey("width_divisor") ? cfg.integer(modelCfg, "width_divisor", 1) : null;
            Checkpoint c = Checkpoint.load(ck, mo, d.numClasses());
            c.requireFits(d);
            spec = c.spec();
            original = c.model();
        } else {
            spec = new ModelSpec(cfg.string(modelCfg, "arch", "resnet18"), d.numClasses(), d.preprocessing().channels(),
                    cfg.integer(modelCfg, "width_divisor", 1));
            Map<String, Object> tr = cfg.object(modelCfg, "train", true);
            original = spec.create(cfg.integer(tr, "seed", 0));
            Checkpoint.requireRuns(original, d.train(), spec.toString());
            TrainingRecipe recipe = TrainingRecipe.sgd(cfg.integer(tr, "epochs", 2), cfg.integer(tr, "batch_size", 64),
                    cfg.number(tr, "lr", 0.05));
            text().printf("training the original %s: %s%n", spec, recipe);
            long tt = System.nanoTime();
            Trainer.train(original, d.train(), recipe, cfg.integer(tr, "seed", 0), null);
            timings.put("train_original_seconds", (System.nanoTime() - tt) / 1e9);
        }

        Map<String, Object> sc = cfg.object(root, "scenario", true);
        String kind = cfg.string(sc, "kind", null);
        LongFunction<ForgettingSplit> splits = switch (kind) {
            case "full-class" -> {
                ForgettingSplit s = Scenarios.fullClass(d.train(), d.test(), d.numClasses(), cfg.integer(sc, "class", null));
                yield seed -> s;
            }
            case "sub-class" -> {
                if (d.trainFine() == null) {
                    throw new InputRejectedException(config + ": scenario sub-class needs the cifar20:DIR data source");
                }
                ForgettingSplit s = Scenarios.subClass(d.train(), d.trainFine(), d.test(), d.testFine(), d.numClasses(),
                        cfg.integer(sc, "fine_class", null));
                yield seed -> s;
            }
            case "random" -> {
                double fraction = cfg.number(sc, "fraction", null);
                yield seed -> Scenarios.random(d.train(), d.test(), d.numClasses(), fraction, seed);
            }
            default -> throw new InputRejectedException(config + ": scenario kind must be full-class, sub-class or random, got "
                    + kind);
        };

        List<ForgettingMethod> methods = new ArrayList<>();
        List<Dampening> dampenings = new ArrayList<>();
        for (Object o : cfg.list(root, "methods")) {
            methods.add(method(cfg, o, progress, dampenings, batch));
        }
        Map<String, Object> sweep = cfg.object(root, "alpha_sweep", false);
        String sweepMethod = null;
        double[] sweepAlphas = new double[0];
        if (!sweep.isEmpty()) {
            sweepMethod = cfg.string(sweep, "method", "lfssd");
            sweepAlphas = cfg.numbers(sweep, "values");
            Method m = methodOf(cfg, sweepMethod);
            for (double a : sweepAlphas) {
                String name = sweepMethod + " alpha=" + Svg.num(a);
                Unlearner u = Unlearner.builder(m).alpha(a).lambda(cfg.number(sweep, "lambda", 1.0)).progress(progress).build();
                dampenings.add(new Dampening(name, u, true, a));
                methods.add(ForgettingMethod.dampening(name, u));
            }
        }
        if (methods.isEmpty()) {
            throw new InputRejectedException(config + ": no \"methods\" and no \"alpha_sweep\": nothing to run");
        }
        long[] seeds = java.util.Arrays.stream(cfg.numbers(root, "seeds")).mapToLong(x -> (long) x).toArray();
        if (seeds.length == 0) {
            seeds = new long[] {0};
        }
        ImportanceCache cache = new ImportanceCache();
        long e0 = System.nanoTime();
        ResultTable table = Experiment.builder(spec.factory(), original).split(splits).methods(methods.toArray(new ForgettingMethod[0]))
                .seeds(seeds).batchSize(batch).importances(cache).build().run();
        timings.put("experiment_seconds", (System.nanoTime() - e0) / 1e9);
        text().print(table.format());

        Report report = report(cfg, d, spec, original, splits.apply(seeds[0]), seeds[0], batch, cache, table, dampenings,
                sweepMethod, sweepAlphas, timings);
        timings.put("total_seconds", (System.nanoTime() - t0) / 1e9);
        report.heading("Timings");
        report.keyValues("", timings);
        try {
            outputs.writeText(csv, table.toCsv());
            outputs.writeText(json, table.toJson());
            outputs.writeText(html, report.html());
            outputs.writeText(md, report.markdown());
        } catch (RuntimeException | java.io.IOException e) {
            outputs.rollBack();
            throw e;
        }
        text().printf("wrote %s, %s, %s, %s%n", csv, json, html, md);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("config", config.toString());
        result.put("output_dir", outputDir.toString());
        result.put("files", List.of(csv.toString(), json.toString(), html.toString(), md.toString()));
        result.put("rows", Json.read(table.toJson(), "results"));
        result.put("timings", timings);
        return result;
    }

    private static Method methodOf(ExperimentConfig cfg, String name) {
        return switch (name) {
            case "lfssd" -> Method.LFSSD;
            case "ssd", "assd" -> Method.SSD;
            default -> throw new InputRejectedException(cfg.source() + ": the alpha sweep needs method lfssd or ssd, got " + name);
        };
    }

    @SuppressWarnings("unchecked")
    private static ForgettingMethod method(ExperimentConfig cfg, Object o, ProgressListener progress, List<Dampening> dampenings,
                                           int batch) {
        Map<String, Object> m = o instanceof String s ? Map.of("name", s)
                : o instanceof Map ? (Map<String, Object>) o : null;
        if (m == null) {
            throw new InputRejectedException(cfg.source() + ": a method is a name or an object with \"name\", got " + o);
        }
        String name = cfg.string(m, "name", null);
        switch (name) {
            case "original":
                return ForgettingMethod.original();
            case "lfssd":
            case "ssd":
            case "assd": {
                boolean adaptive = name.equals("assd") || cfg.bool(m, "adaptive_alpha", false);
                Unlearner.Builder b = Unlearner.builder(name.equals("lfssd") ? Method.LFSSD : Method.SSD)
                        .lambda(cfg.number(m, "lambda", 1.0)).progress(progress);
                double alpha = cfg.number(m, "alpha", 10.0);
                Unlearner u = (adaptive ? b.adaptiveAlpha() : b.alpha(alpha)).build();
                String label = cfg.string(m, "label", name);
                dampenings.add(new Dampening(label, u, false, alpha));
                return ForgettingMethod.dampening(label, u);
            }
            case "finetune":
                return ForgettingMethod.finetune(TrainingRecipe.sgd(cfg.integer(m, "epochs", 5), cfg.integer(m, "batch_size", batch),
                        cfg.number(m, "lr", 0.02)));
            case "retrain":
                return ForgettingMethod.retrain(TrainingRecipe.sgd(cfg.integer(m, "epochs", 2), cfg.integer(m, "batch_size", batch),
                        cfg.number(m, "lr", 0.05)));
            default:
                throw new InputRejectedException(cfg.source() + ": unknown method '" + name
                        + "': expected original, lfssd, ssd, assd, finetune or retrain");
        }
    }

    private Report report(ExperimentConfig cfg, DataOptions.Prepared d, ModelSpec spec, Module original, ForgettingSplit split,
                          long seed, int batch, ImportanceCache cache, ResultTable table, List<Dampening> dampenings,
                          String sweepMethod, double[] sweepAlphas, Map<String, Double> timings) {
        Report rep = new Report("lfssd experiment: " + split.description() + " on " + d.source().spec());
        rep.heading("Settings");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("config", config.toString());
        s.put("data", d.source().spec() + " (" + d.train().size() + " training, " + d.test().size() + " test images)");
        s.put("preprocessing", d.preprocessing().toString());
        s.put("model", spec.toString());
        s.put("scenario", split.description());
        s.put("forget set", split.forgetTrain().size() + " of " + split.full().size() + " training images");
        s.put("batch size", batch);
        s.put("config (verbatim)", cfg.root());
        rep.keyValues("", s);
        rep.heading("Results");
        List<String> header = List.of("method", "seed", "test", "Dr", "Df", "Dr-train", "Df-train", "MIA", "ZRF", "time [s]",
                "Omega_D [s]", "details");
        List<List<String>> rows = new ArrayList<>();
        for (ExperimentResult r : table.rows()) {
            rows.add(List.of(r.method(), Long.toString(r.seed()), ReportPlots.pct(r.testAccuracy()),
                    ReportPlots.pct(r.retainTestAccuracy()), ReportPlots.pct(r.forgetTestAccuracy()),
                    ReportPlots.pct(r.retainTrainAccuracy()), ReportPlots.pct(r.forgetTrainAccuracy()), ReportPlots.pct(r.mia()),
                    String.format(Locale.ROOT, "%.4f", r.zrf()), String.format(Locale.ROOT, "%.2f", r.seconds()),
                    Double.isNaN(r.omegaDSeconds()) ? "" : String.format(Locale.ROOT, "%.2f", r.omegaDSeconds()), r.details()));
        }
        rep.table("", header, rows);
        rep.heading("Plots");
        Dampening shown = dampenings.stream().filter(x -> !x.sweep()).findFirst()
                .orElse(dampenings.isEmpty() ? null : dampenings.get(0));
        if (shown != null) {
            // Rerun the shown method once on the first seed (Ω_D comes from the experiment's cache) for the numbers
            // the table does not keep: per-class accuracy, per-tensor selection and the ratios.
            long p0 = System.nanoTime();
            ForgettingContext ctx = new ForgettingContext(original, spec.factory(), split, batch, seed, cache, null);
            Importance omegaD = cache.fullImportance(shown.unlearner(), ctx).importance();
            Module copy = ctx.copyOfOriginal();
            Importance omegaF = shown.unlearner().importance(copy, ctx.batches(split.forgetTrain()));
            DampeningReport dr = shown.unlearner().dampen(copy, omegaF, omegaD);
            Accuracy before = Accuracy.of(Evaluation.logits(original, split.test(), 256, ProgressListener.NONE, "before"));
            Accuracy after = Accuracy.of(Evaluation.logits(copy, split.test(), 256, ProgressListener.NONE, "after"));
            rep.text("Per-class accuracy, selection and ratios of " + shown.name() + ", seed " + seed + ": " + dr.summary());
            ReportPlots.perClassAccuracy(rep, d.source().classNames(), before, after, "original", shown.name());
            ReportPlots.selectedFraction(rep, dr);
            ReportPlots.ratioHistogram(rep, omegaF, omegaD, dr.alpha());
            timings.put("report_rerun_seconds", (System.nanoTime() - p0) / 1e9);
        }
        if (sweepAlphas.length > 0) {
            double[] retain = new double[sweepAlphas.length];
            double[] forget = new double[sweepAlphas.length];
            double[] mia = new double[sweepAlphas.length];
            for (int i = 0; i < sweepAlphas.length; i++) {
                String name = sweepMethod + " alpha=" + Svg.num(sweepAlphas[i]);
                List<ExperimentResult> rs = table.rows().stream().filter(r -> r.method().equals(name)).toList();
                retain[i] = rs.stream().mapToDouble(ExperimentResult::retainTestAccuracy).average().orElse(Double.NaN);
                forget[i] = rs.stream().mapToDouble(ExperimentResult::forgetTestAccuracy).average().orElse(Double.NaN);
                mia[i] = rs.stream().mapToDouble(ExperimentResult::mia).average().orElse(Double.NaN);
            }
            ReportPlots.alphaSweep(rep, sweepAlphas, retain, forget, mia, sweepMethod);
        }
        return rep;
    }
}
