package org.lfssd.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lfssd info [CHECKPOINT]}: the kernels, and a checkpoint's model summary. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the kernel provider, vector width, GEMM and threads; with a checkpoint, its model summary.")
final class InfoCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CHECKPOINT", description = "A .safetensors checkpoint (or shard index).")
    Path checkpoint;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Override
    Map<String, Object> run() throws Exception {
        Kernels.Selection s = Kernels.selection();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("version", BuildInfo.version());
        result.put("environment", AuditRecord.environment());
        text().printf("lfssd %s%n", BuildInfo.version());
        text().printf("kernels: provider %s (%s), gemm %s, threads %d%n", s.provider().name(),
                s.provider().vectorBitSize() > 0 ? s.provider().vectorBitSize() + "-bit vectors" : "no SIMD", s.gemm().name(),
                Parallel.threads());
        text().printf("java: %s (%s)%n", Runtime.version(), System.getProperty("java.vm.name"));
        for (String w : s.warnings()) {
            text().println("warning: " + w);
        }
        result.put("warnings", s.warnings());
        if (checkpoint == null) {
            return result;
        }
        Checkpoint c = Checkpoint.load(checkpoint, model, 10);
        text().printf("%ncheckpoint: %s%nmodel: %s, stored as %s%n", checkpoint, c.spec(), c.dtype());
        text().println(c.model().toString());
        List<Map<String, Object>> params = new ArrayList<>();
        int width = c.model().namedParameters().keySet().stream().mapToInt(String::length).max().orElse(10);
        text().printf("%-" + width + "s  %-18s %12s%n", "parameter", "shape", "count");
        for (Map.Entry<String, Var> e : c.model().namedParameters().entrySet()) {
            int[] shape = e.getValue().value().shape();
            long count = e.getValue().value().numel();
            text().printf("%-" + width + "s  %-18s %,12d%n", e.getKey(), java.util.Arrays.toString(shape), count);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", e.getKey());
            p.put("shape", shape);
            p.put("count", count);
            params.add(p);
        }
        long total = c.model().parameterCount();
        text().printf("total: %,d parameters in %d tensors%n", total, params.size());
        c.metadata().forEach((k, v) -> text().printf("metadata %s = %s%n", k, v));
        Map<String, Object> ck = new LinkedHashMap<>();
        ck.put("file", checkpoint.toString());
        ck.put("model", c.spec().toMap());
        ck.put("dtype", c.dtype().name());
        ck.put("summary", c.model().toString());
        ck.put("parameters", params);
        ck.put("parameter_count", total);
        ck.put("metadata", c.metadata());
        result.put("checkpoint", ck);
        return result;
    }
}
