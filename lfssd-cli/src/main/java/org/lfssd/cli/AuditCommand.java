package org.lfssd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lfssd audit verify RECORD}. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Work with audit records.",
        subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: verify");
    }

    /** Recomputes every file hash of a record and names the files that differ. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute the SHA-256 of every file an audit record names and say which differ.")
    static final class Verify extends BaseCommand {
        @Parameters(index = "0", paramLabel = "RECORD", description = "The audit record (*.audit.json).")
        Path record;

        @Override
        @SuppressWarnings("unchecked")
        Map<String, Object> run() throws Exception {
            if (!Files.isRegularFile(record)) {
                throw new InputRejectedException(record + ": no such audit record");
            }
            Object doc = Json.read(Files.readString(record), record.toString());
            if (!(doc instanceof Map<?, ?> m) || !AuditRecord.FORMAT.equals(m.get("format"))) {
                throw new InputRejectedException(record + ": not an lfssd audit record (no \"format\": \""
                        + AuditRecord.FORMAT + "\")");
            }
            Object files = ((Map<String, Object>) doc).get("files");
            if (!(files instanceof List<?> list)) {
                throw new InputRejectedException(record + ": the record has no \"files\" list");
            }
            Path dir = record.toAbsolutePath().getParent();
            List<Map<String, Object>> checks = new ArrayList<>();
            List<String> bad = new ArrayList<>();
            for (Object o : list) {
                Map<String, Object> f = (Map<String, Object>) o;
                String role = String.valueOf(f.get("role"));
                String path = String.valueOf(f.get("path"));
                String recorded = String.valueOf(f.get("sha256"));
                Path p = dir.resolve(path);
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("role", role);
                c.put("path", path);
                c.put("recorded_sha256", recorded);
                String status;
                if (Boolean.TRUE.equals(f.get("replaced_in_place"))) {
                    status = "skipped";
                    c.put("note", "replaced in place by the output; its recorded hash is of the file before forgetting");
                } else if (!Files.isRegularFile(p)) {
                    status = "missing";
                    bad.add(role + " " + path + " is missing");
                } else {
                    String now = Sha256.of(p);
                    c.put("sha256", now);
                    status = now.equals(recorded) ? "ok" : "differs";
                    if (!now.equals(recorded)) {
                        bad.add(role + " " + path + " differs (recorded " + recorded.substring(0, 12) + "..., now "
                                + now.substring(0, 12) + "...)");
                    }
                }
                c.put("status", status);
                checks.add(c);
                text().printf("%-8s %-20s %s%n", status.toUpperCase(java.util.Locale.ROOT), role, path);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("record", record.toString());
            result.put("ok", bad.isEmpty());
            result.put("files", checks);
            if (!bad.isEmpty()) {
                if (common.json) {
                    out().print(Json.write(result));
                    out().flush();
                }
                throw new AuditMismatchException(bad.size() + " of " + list.size() + " files do not match " + record + ": "
                        + String.join("; ", bad));
            }
            text().println("all " + list.size() + " files match " + record);
            return result;
        }
    }
}
