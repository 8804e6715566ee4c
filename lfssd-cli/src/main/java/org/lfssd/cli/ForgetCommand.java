package org.lfssd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lfssd.eval.Accuracy;
import org.lfssd.io.DType;
import org.lfssd.nn.Checkpoints;
import org.lfssd.unlearn.DampeningReport;
import org.lfssd.unlearn.Importance;
import org.lfssd.unlearn.Unlearner;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lfssd forget}: one forget request on a checkpoint. Everything is computed first; then the new
 * checkpoint, the dampening report, the optional report and, last, the audit record (which hashes the others)
 * are written, each atomically. A failure before or during writing leaves no partial output.
 */
@Command(name = "forget", mixinStandardHelpOptions = true,
        description = "Forget a set of training samples: dampen the parameters much more important to it than to the"
                + " whole training set, write the new checkpoint, the dampening report and an audit record.")
final class ForgetCommand extends BaseCommand {
    /** Tests replace this to simulate a crash between computing and writing. */
    static volatile Runnable beforeWriting = () -> { };

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "The model's checkpoint (.safetensors or shard index).")
    Path checkpoint;

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    UnlearnerOptions unlearner = new UnlearnerOptions();

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "The forget set (one of):%n")
    ForgetSetOptions forget;

    @Option(names = "--omega-d", paramLabel = "FILE",
            description = "Omega_D from 'lfssd importance' (default: computed now over the training set, in its order).")
    Path omegaD;

    @Option(names = "--allow-stale-importance",
            description = "Accept an Omega_D computed on other weights (successive requests on one Omega_D).")
    boolean allowStale;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "The new checkpoint (default: <input>-forgotten.safetensors next to the input).")
    Path output;

    @Option(names = "--in-place", description = "Replace the input checkpoint (it is never modified otherwise).")
    boolean inPlace;

    @Option(names = "--dtype", paramLabel = "T", description = "Stored float type: f32, f16 or bf16 (default: the input's).")
    String dtype;

    @Option(names = "--report", description = "Also write an HTML report and its Markdown twin (evaluates before and after).")
    boolean report;

    @Option(names = "--audit", paramLabel = "FILE", description = "The audit record (default: <output>.audit.json).")
    Path audit;

    @Override
    Map<String, Object> run() throws Exception {
        String started = AuditRecord.now();
        long t0 = System.nanoTime();
        if (inPlace && output != null) {
            throw new InputRejectedException("give either --output or --in-place, not both");
        }
        if (!Files.isRegularFile(checkpoint)) {
            throw new InputRejectedException(checkpoint + ": no such checkpoint file");
        }
        Path out = inPlace ? checkpoint : output != null ? output : sibling(checkpoint, "-forgotten.safetensors");
        Path dampeningFile = sibling(out, ".dampening.json");
        Path auditFile = audit != null ? audit : sibling(out, ".audit.json");
        Path htmlFile = sibling(out, ".report.html");
        Path mdFile = sibling(out, ".report.md");
        OutputFiles outputs = new OutputFiles(common.force);
        if (inPlace) {
            outputs.planReplacement(out);
        } else {
            outputs.plan(out);
        }
        outputs.plan(dampeningFile);
        outputs.plan(auditFile);
        if (report) {
            outputs.plan(htmlFile);
            outputs.plan(mdFile);
        }
        DType outType = dtype != null ? Checkpoint.parseDtype(dtype) : null;
        Unlearner u = unlearner.build(progress(), allowStale);

        Map<String, Object> inputEntry = AuditRecord.file("input_checkpoint", checkpoint, auditFile.toAbsolutePath().getParent());
        DataOptions.Prepared d = data.load();
        Checkpoint c = Checkpoint.load(checkpoint, model, d.numClasses());
        c.requireFits(d);
        ForgetSet fs = forget.resolve(d, u.method());
        text().printf(Locale.ROOT, "forgetting %s from %s (%s)%n", fs.description(), checkpoint, c.spec());

        Map<String, Double> timings = new LinkedHashMap<>();
        Importance full;
        if (omegaD != null) {
            if (!Files.isRegularFile(omegaD)) {
                throw new InputRejectedException(omegaD + ": no such Omega_D file");
            }
            full = Importance.load(omegaD);
            String recorded = full.preprocessing().orElse(null);
            if (recorded != null && !recorded.equals(d.preprocessing().canonical())) {
                throw new InputRejectedException(omegaD + " was computed on images preprocessed as " + recorded
                        + ", but this request prepares them as " + d.preprocessing().canonical()
                        + "; an Omega_D is only valid for the same preprocessing (pass the same --mean/--std/--pad/--resize/--channels)");
            }
            if (recorded == null) {
                text().println("note: " + omegaD + " does not record its preprocessing; it cannot be checked against this request");
            }
        } else {
            long o0 = System.nanoTime();
            full = u.importance(c.model(), d.train().batches(unlearner.batchSize())).withPreprocessing(d.preprocessing().canonical());
            timings.put("omega_d_seconds", (System.nanoTime() - o0) / 1e9);
        }

        Accuracy before = null;
        if (report) {
            long e0 = System.nanoTime();
            before = Accuracy.of(Evaluation.logits(c.model(), d.test(), 256, progress(), "evaluation before (test set)"));
            timings.put("evaluation_before_seconds", (System.nanoTime() - e0) / 1e9);
        }
        long f0 = System.nanoTime();
        Importance omegaF = u.importance(c.model(), fs.data().batches(unlearner.batchSize()));
        timings.put("forget_importance_seconds", (System.nanoTime() - f0) / 1e9);
        DampeningReport r = u.dampen(c.model(), omegaF, full);
        timings.put("dampening_seconds", r.dampeningNanos() / 1e9);
        if (r.nothingSelected()) {
            throw new NothingSelectedException(String.format(Locale.ROOT, "nothing selected, nothing written: the largest"
                    + " ratio Omega_f/Omega_D present is %.6g, not above alpha = %.6g. Use --adaptive-alpha (the ASSD"
                    + " percentile rule picks alpha from the ratios of this request), or an --alpha below %.6g.",
                    r.maxRatio(), r.alpha(), r.maxRatio()));
        }
        text().println(r.summary());

        Map<String, Object> settings = unlearner.describe();
        settings.put("alpha_used", r.alpha());
        settings.put("adaptive_percentile", Double.isNaN(r.adaptivePercentile()) ? null : r.adaptivePercentile());
        settings.put("omega_d", omegaD != null ? "file" : "computed");
        settings.put("allow_stale_importance", allowStale);
        settings.put("output_dtype", (outType != null ? outType : c.dtype()).name());

        Report html = null;
        Accuracy after = null;
        if (report) {
            long e0 = System.nanoTime();
            after = Accuracy.of(Evaluation.logits(c.model(), d.test(), 256, progress(), "evaluation after (test set)"));
            timings.put("evaluation_after_seconds", (System.nanoTime() - e0) / 1e9);
            html = forgetReport(c, d, fs, settings, r, omegaF, full, before, after, timings);
        }
        String dampeningJson = Json.write(AuditRecord.result(r));

        beforeWriting.run();
        long w0 = System.nanoTime();
        Map<String, Object> record;
        try {
            Map<String, String> meta = new LinkedHashMap<>(c.metadata());
            meta.putAll(Checkpoint.toolMetadata(c.spec(), d, data.source));
            meta.put("lfssd.forgotten", fs.description() + "; " + r.summary());
            DType type = outType != null ? outType : c.dtype();
            outputs.write(out, p -> Checkpoints.save(c.model(), p, type, meta));
            outputs.writeText(dampeningFile, dampeningJson);
            if (html != null) {
                outputs.writeText(htmlFile, html.html());
                outputs.writeText(mdFile, html.markdown());
            }
            timings.put("write_seconds", (System.nanoTime() - w0) / 1e9);
            timings.put("total_seconds", (System.nanoTime() - t0) / 1e9);
            record = record(started, c.spec(), inputEntry, out, dampeningFile, html != null ? List.of(htmlFile, mdFile) : List.of(),
                    auditFile, d, fs, settings, r, timings);
            outputs.writeText(auditFile, Json.write(record));
        } catch (IOException | RuntimeException e) {
            outputs.rollBack();
            throw e;
        }
        text().printf("wrote %s, %s, %s%s%n", out, dampeningFile, auditFile, html != null ? ", " + htmlFile + ", " + mdFile : "");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("output", out.toString());
        result.put("audit", auditFile.toString());
        result.put("dampening_report", dampeningFile.toString());
        result.put("report", html != null ? htmlFile.toString() : null);
        result.put("record", record);
        return result;
    }

    private Map<String, Object> record(String started, ModelSpec spec, Map<String, Object> inputEntry, Path out, Path dampeningFile,
                                       List<Path> reports, Path auditFile, DataOptions.Prepared d, ForgetSet fs,
                                       Map<String, Object> settings, DampeningReport r, Map<String, Double> timings)
            throws IOException {
        Path dir = auditFile.toAbsolutePath().getParent();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", AuditRecord.FORMAT);
        m.put("format_version", AuditRecord.FORMAT_VERSION);
        m.put("tool", AuditRecord.tool());
        m.put("environment", AuditRecord.environment());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("command", "forget");
        request.put("checkpoint", checkpoint.toString());
        request.put("model", spec.toMap());
        request.put("in_place", inPlace);
        request.put("data", data.describe(d));
        m.put("request", request);
        m.put("settings", settings);
        List<Map<String, Object>> files = new ArrayList<>();
        if (inPlace) {
            inputEntry.put("replaced_in_place", true);
        }
        files.add(inputEntry);
        files.add(AuditRecord.file("output_checkpoint", out, dir));
        if (omegaD != null) {
            files.add(AuditRecord.file("omega_d", omegaD, dir));
        }
        for (Map.Entry<String, Path> e : fs.files().entrySet()) {
            files.add(AuditRecord.file(e.getKey(), e.getValue(), dir));
        }
        files.add(AuditRecord.file("dampening_report", dampeningFile, dir));
        for (Path p : reports) {
            files.add(AuditRecord.file(p.toString().endsWith(".md") ? "report_markdown" : "report_html", p, dir));
        }
        m.put("files", files);
        m.put("forget_set", fs.spec());
        m.put("result", AuditRecord.result(r));
        m.put("timings", timings);
        Map<String, Object> ts = new LinkedHashMap<>();
        ts.put("started_utc", started);
        ts.put("finished_utc", AuditRecord.now());
        m.put("timestamps", ts);
        return m;
    }

    private Report forgetReport(Checkpoint c, DataOptions.Prepared d, ForgetSet fs, Map<String, Object> settings,
                                DampeningReport r, Importance omegaF, Importance full, Accuracy before, Accuracy after,
                                Map<String, Double> timings) {
        Report rep = new Report("lfssd forget: " + fs.description());
        rep.heading("Settings");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("checkpoint", checkpoint.toString());
        s.put("model", c.spec().toString());
        s.put("data", data.source);
        s.put("preprocessing", d.preprocessing().toString());
        s.put("forget set", fs.description());
        s.putAll(settings);
        rep.keyValues("", s);
        rep.heading("Result");
        rep.text(r.summary());
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("test accuracy", ReportPlots.pct(before.overall()), ReportPlots.pct(after.overall())));
        java.util.Set<Integer> forgotten = new java.util.HashSet<>();
        for (int y : fs.data().labels()) {
            forgotten.add(y);
        }
        rows.add(List.of("retained classes", ReportPlots.pct(before.over(k -> !forgotten.contains(k))),
                ReportPlots.pct(after.over(k -> !forgotten.contains(k)))));
        rows.add(List.of("forgotten classes", ReportPlots.pct(before.over(forgotten::contains)),
                ReportPlots.pct(after.over(forgotten::contains))));
        rep.table("Test accuracy", List.of("", "before", "after"), rows);
        rep.heading("Plots");
        ReportPlots.perClassAccuracy(rep, d.source().classNames(), before, after, "before", "after");
        ReportPlots.selectedFraction(rep, r);
        ReportPlots.ratioHistogram(rep, omegaF, full, r.alpha());
        rep.heading("Timings");
        rep.keyValues("", timings);
        return rep;
    }

    /** {@code file} with its {@code .safetensors} (or other) extension replaced by {@code suffix}. */
    static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.endsWith(".index.json") ? name.length() - ".index.json".length() : name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return file.resolveSibling(stem + suffix);
    }
}
