package org.lfssd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfssd.io.DType;
import org.lfssd.io.SafeTensors;
import org.lfssd.io.SafeTensorsFile;
import org.lfssd.autograd.ShardedBackward;
import org.lfssd.kernels.Kernels;
import org.lfssd.nn.Checkpoints;
import org.lfssd.nn.Module;

/** {@code lfssd forget}: outputs, the audit record's fields, {@code audit verify}, and a crash before writing. */
class ForgetCommandTest {
    @TempDir
    Path dir;

    private Path copyModel() throws IOException {
        Path m = dir.resolve("model.safetensors");
        Files.copy(Fixture.MODEL, m);
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readJson(Path file) throws IOException {
        return (Map<String, Object>) Json.read(Files.readString(file), file.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void forgetsAClassAndWritesAnAuditRecordWithEveryField() throws IOException {
        Path model = copyModel();
        byte[] inputBefore = Files.readAllBytes(model);
        Cli r = Cli.run(Fixture.args(new String[] {"forget", "-q", "--json", model.toString()}, "--forget-class", "3",
                "--omega-d", Fixture.OMEGA_D.toString(), "--alpha", "2", "--report"));
        assertEquals(0, r.code(), r::toString);
        Path out = dir.resolve("model-forgotten.safetensors");
        Path audit = dir.resolve("model-forgotten.audit.json");
        Path dampening = dir.resolve("model-forgotten.dampening.json");
        assertArrayEquals(inputBefore, Files.readAllBytes(model), "the input checkpoint is never modified");

        Map<String, Object> doc = (Map<String, Object>) Json.read(r.out(), "stdout");
        assertEquals(out.toString(), doc.get("output"));
        Map<String, Object> rec = readJson(audit);
        assertEquals(doc.get("record"), rec, "--json prints the record that was written");

        // Golden check: the keys in order and the value of every field that does not depend on time or machine.
        assertEquals(AuditRecord.KEYS, new ArrayList<>(rec.keySet()));
        assertEquals("lfssd-audit", rec.get("format"));
        assertEquals(1L, rec.get("format_version"));
        Map<String, Object> tool = (Map<String, Object>) rec.get("tool");
        assertEquals(List.of("name", "version", "git_commit"), new ArrayList<>(tool.keySet()));
        assertEquals("lfssd", tool.get("name"));
        assertEquals("0.1.0-SNAPSHOT", tool.get("version"));
        Map<String, Object> env = (Map<String, Object>) rec.get("environment");
        assertEquals(Kernels.selection().provider().name(), env.get("kernel_provider"));
        assertEquals((long) Kernels.selection().provider().vectorBitSize(), env.get("vector_bits"));
        assertEquals(Kernels.selection().gemm().name(), env.get("gemm"));
        assertEquals((long) ShardedBackward.configuredShards(), env.get("importance_shards"));
        Map<String, Object> request = (Map<String, Object>) rec.get("request");
        assertEquals("forget", request.get("command"));
        assertEquals(Map.of("arch", "resnet18", "classes", 10L, "in_channels", 1L, "width_divisor", 16L), request.get("model"));
        Map<String, Object> data = (Map<String, Object>) request.get("data");
        assertEquals("fmnist:embedded", data.get("source"));
        assertEquals(300L, data.get("train_images"));
        Map<String, Object> prep = (Map<String, Object>) data.get("preprocessing");
        assertEquals(List.of(0.286), prep.get("mean"));
        assertEquals(List.of(0.353), prep.get("std"));
        assertEquals(0L, prep.get("pad"));
        Map<String, Object> settings = (Map<String, Object>) rec.get("settings");
        assertEquals("LFSSD", settings.get("method"));
        assertEquals("REFERENCE", settings.get("reduction"));
        assertEquals(2.0, settings.get("alpha"));
        assertEquals(2.0, settings.get("alpha_used"));
        assertNull(settings.get("adaptive_percentile"));
        assertEquals(1.0, settings.get("lambda"));
        assertEquals("F32", settings.get("output_dtype"));

        List<Map<String, Object>> files = (List<Map<String, Object>>) rec.get("files");
        assertEquals(List.of("input_checkpoint", "output_checkpoint", "omega_d", "dampening_report", "report_html",
                "report_markdown"), files.stream().map(f -> f.get("role")).toList());
        for (Map<String, Object> f : files) {
            Path p = dir.resolve((String) f.get("path"));
            assertEquals(Sha256.of(p), f.get("sha256"), f.toString());
            assertEquals(Files.size(p), f.get("bytes"), f.toString());
        }
        assertEquals(Fixture.OMEGA_D.toAbsolutePath().toString(), files.get(2).get("path"), "outside the folder: absolute");

        Map<String, Object> forgetSet = (Map<String, Object>) rec.get("forget_set");
        assertEquals("classes", forgetSet.get("kind"));
        assertEquals(List.of(3L), forgetSet.get("given"));
        List<Long> ids = (List<Long>) forgetSet.get("sample_ids");
        int[] labels = org.lfssd.demo.FashionMnist.embedded(org.lfssd.demo.FashionMnist.Split.TRAIN).first(300).labels();
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 3) {
                expected.add((long) i);
            }
        }
        assertEquals(expected, ids);
        assertEquals((long) expected.size(), forgetSet.get("samples"));
        String idText = String.join(",", expected.stream().map(String::valueOf).toList());
        assertEquals(Sha256.of(idText), forgetSet.get("sample_ids_sha256"));

        Map<String, Object> result = (Map<String, Object>) rec.get("result");
        List<Map<String, Object>> tensors = (List<Map<String, Object>>) result.get("tensors");
        assertEquals(62, tensors.size());
        long selected = tensors.stream().mapToLong(t -> (Long) t.get("selected")).sum();
        assertTrue(selected > 0);
        assertEquals(selected, result.get("selected_total"));
        assertEquals(44_550L, result.get("elements_total"));
        assertEquals(readJson(dampening), result, "the dampening report file holds the same result");

        Map<String, Object> timings = (Map<String, Object>) rec.get("timings");
        for (String k : List.of("evaluation_before_seconds", "forget_importance_seconds", "dampening_seconds",
                "evaluation_after_seconds", "write_seconds", "total_seconds")) {
            assertTrue(((Number) timings.get(k)).doubleValue() >= 0, k);
        }
        Map<String, Object> ts = (Map<String, Object>) rec.get("timestamps");
        Instant started = Instant.parse((String) ts.get("started_utc"));
        Instant finished = Instant.parse((String) ts.get("finished_utc"));
        assertTrue(((String) ts.get("started_utc")).endsWith("Z") && !finished.isBefore(started));

        // The new checkpoint: same keys, differs exactly in the selected weights; the model is recorded.
        Module before = ModelLoading.load(model);
        Module after = ModelLoading.load(out);
        long changed = 0;
        for (var e : before.stateDict().entrySet()) {
            float[] a = e.getValue().toArray();
            float[] b = after.stateDict().get(e.getKey()).toArray();
            for (int i = 0; i < a.length; i++) {
                if (a[i] != b[i]) {
                    changed++;
                }
            }
        }
        assertTrue(changed > 0 && changed <= selected, changed + " changed, " + selected + " selected");
        assertEquals("resnet18", SafeTensors.readMetadata(out).get("lfssd.model"));

        String html = Files.readString(dir.resolve("model-forgotten.report.html"));
        assertEquals(3, html.split("<svg", -1).length - 1, "per-class accuracy, selected fraction, ratio histogram");
        assertTrue(html.contains("Test accuracy per class") && html.contains("alpha = 2"), "marker labelled with alpha");
        String md = Files.readString(dir.resolve("model-forgotten.report.md"));
        assertEquals(3, md.split("data:image/svg\\+xml;base64,", -1).length - 1);
        assertTrue(md.contains("| tensor | selected | elements |"));

        // Run again: every output exists now, so nothing is clobbered.
        Cli again = Cli.run(Fixture.args(new String[] {"forget", "-q", model.toString()}, "--forget-class", "3",
                "--omega-d", Fixture.OMEGA_D.toString(), "--alpha", "2"));
        assertEquals(ExitCodes.INPUT_REJECTED, again.code(), again::toString);
        assertTrue(again.err().contains("model-forgotten.safetensors: exists already") && again.err().contains("--force"),
                again::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void auditVerifyNamesEveryFileWithAChangedByte() throws IOException {
        Path model = copyModel();
        Path omega = dir.resolve("omega-d.safetensors");
        Files.copy(Fixture.OMEGA_D, omega);
        Path ids = dir.resolve("forget-ids.txt");
        Files.writeString(ids, "# samples to forget\n0, 1, 2\n17 42\n");
        Cli r = Cli.run(Fixture.args(new String[] {"forget", "-q", model.toString()}, "--forget-indices", ids.toString(),
                "--omega-d", omega.toString(), "--adaptive-alpha", "-o", dir.resolve("out.safetensors").toString()));
        assertEquals(0, r.code(), r::toString);
        Path audit = dir.resolve("out.audit.json");
        List<Map<String, Object>> files = (List<Map<String, Object>>) readJson(audit).get("files");
        assertEquals(List.of("input_checkpoint", "output_checkpoint", "omega_d", "forget_set_indices", "dampening_report"),
                files.stream().map(f -> f.get("role")).toList());
        Map<String, Object> fs = (Map<String, Object>) readJson(audit).get("forget_set");
        assertEquals(List.of(0L, 1L, 2L, 17L, 42L), fs.get("sample_ids"));

        Cli ok = Cli.run("audit", "verify", audit.toString());
        assertEquals(0, ok.code(), ok::toString);
        assertTrue(ok.out().contains("all 5 files match"), ok::toString);
        for (Map<String, Object> f : files) {
            Path p = dir.resolve((String) f.get("path"));
            byte[] original = Files.readAllBytes(p);
            byte[] changed = original.clone();
            changed[changed.length / 2] ^= 0x01;
            Files.write(p, changed);
            Cli bad = Cli.run("audit", "verify", "--json", audit.toString());
            assertEquals(ExitCodes.AUDIT_MISMATCH, bad.code(), bad::toString);
            assertTrue(bad.err().contains("1 of 5 files do not match") && bad.err().contains(f.get("role") + " "
                    + f.get("path") + " differs"), bad::toString);
            Map<String, Object> doc = (Map<String, Object>) Json.read(bad.out(), "stdout");
            assertEquals(Boolean.FALSE, doc.get("ok"));
            long differing = ((List<Map<String, Object>>) doc.get("files")).stream()
                    .filter(c -> "differs".equals(c.get("status"))).count();
            assertEquals(1, differing);
            Files.write(p, original);
        }
        Files.delete(ids);
        Cli missing = Cli.run("audit", "verify", audit.toString());
        assertEquals(ExitCodes.AUDIT_MISMATCH, missing.code());
        assertTrue(missing.err().contains("forget_set_indices forget-ids.txt is missing"), missing::toString);
    }

    @Test
    void aCrashBetweenComputingAndWritingLeavesNoOutput() throws IOException {
        Path model = copyModel();
        List<Path> before = listing();
        ForgetCommand.beforeWriting = () -> {
            throw new IllegalStateException("simulated crash");
        };
        try {
            Cli r = Cli.run(Fixture.args(new String[] {"forget", "-q", model.toString()}, "--forget-class", "3",
                    "--omega-d", Fixture.OMEGA_D.toString(), "--alpha", "2", "--report"));
            assertEquals(ExitCodes.INTERNAL, r.code(), r::toString);
            assertTrue(r.err().contains("simulated crash"), r::toString);
        } finally {
            ForgetCommand.beforeWriting = () -> { };
        }
        assertEquals(before, listing(), "no output and no temporary file");
    }

    @Test
    void aFailureWhileWritingRemovesWhatWasWritten() throws IOException {
        Path model = copyModel();
        // The audit record's path is a folder (accepted with --force): the checkpoint and the dampening report
        // are written, then the record cannot be, and the command removes the two files again.
        Path auditDir = Files.createDirectory(dir.resolve("record"));
        List<Path> before = listing();
        Cli r = Cli.run(Fixture.args(new String[] {"forget", "-q", "--force", model.toString()}, "--forget-class", "3",
                "--omega-d", Fixture.OMEGA_D.toString(), "--alpha", "2", "--audit", auditDir.toString()));
        assertEquals(ExitCodes.INPUT_REJECTED, r.code(), r::toString);
        assertTrue(r.err().contains("cannot save: the path is a directory"), r::toString);
        assertEquals(before, listing(), "the checkpoint and dampening report written before the failure are gone");
    }

    @Test
    void theOutputKeepsTheInputsFloatType() throws IOException {
        Module m = ModelLoading.load(Fixture.MODEL);
        Path half = dir.resolve("half.safetensors");
        Checkpoints.save(m, half, DType.F16, SafeTensors.readMetadata(Fixture.MODEL));
        // Ω_D must describe the F16-rounded weights: computed on the fly here.
        Cli r = Cli.run(Fixture.args(new String[] {"forget", "-q", half.toString()}, "--forget-class", "3", "--alpha", "2"));
        assertEquals(0, r.code(), r::toString);
        try (SafeTensorsFile f = SafeTensors.open(dir.resolve("half-forgotten.safetensors"))) {
            assertEquals(DType.F16, f.info("fc.weight").dtype());
        }
        Cli f32 = Cli.run(Fixture.args(new String[] {"forget", "-q", half.toString()}, "--forget-class", "3", "--alpha", "2",
                "--dtype", "f32", "-o", dir.resolve("as-f32.safetensors").toString()));
        assertEquals(0, f32.code(), f32::toString);
        try (SafeTensorsFile f = SafeTensors.open(dir.resolve("as-f32.safetensors"))) {
            assertEquals(DType.F32, f.info("fc.weight").dtype());
        }
    }

    @Test
    void inPlaceReplacesTheInputAndTheRecordSaysSo() throws IOException {
        Path model = copyModel();
        String hashBefore = Sha256.of(model);
        Cli r = Cli.run(Fixture.args(new String[] {"forget", "-q", model.toString()}, "--forget-class", "3", "--alpha", "2",
                "--in-place"));
        assertEquals(0, r.code(), r::toString);
        assertFalse(hashBefore.equals(Sha256.of(model)));
        Cli v = Cli.run("audit", "verify", dir.resolve("model.audit.json").toString());
        assertEquals(0, v.code(), v::toString);
        assertTrue(v.out().contains("SKIPPED  input_checkpoint"), v::toString);
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
