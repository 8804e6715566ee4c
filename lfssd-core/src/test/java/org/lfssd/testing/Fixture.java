package org.lfssd.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lfssd.tensor.Tensor;

/**
 * One reference fixture: named float32 tensors and string metadata, as written by
 * {@code src/test/python/make_op_fixtures.py}. Naming scheme: {@code input.<name>} (the op's inputs,
 * in the order of the {@code "inputs"} metadata entry), {@code labels}, {@code output},
 * {@code output.<name>} (further results), {@code grad_output} (the upstream gradient) and
 * {@code grad.<name>} (the reference gradient of each differentiable input). Op arguments are metadata
 * strings, read with the typed accessors below.
 */
public final class Fixture {
    private final String name;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    public Fixture(String name, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.name = name;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** The file name without directory and extension, e.g. {@code conv2d__s2_p1_no_bias}. */
    public String name() {
        return name;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Set<String> tensorNames() {
        return tensors.keySet();
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public boolean has(String tensorName) {
        return tensors.containsKey(tensorName);
    }

    /** A tensor by its full name; a missing one is an error naming the fixture and what it holds. */
    public Tensor tensor(String tensorName) {
        Tensor t = tensors.get(tensorName);
        if (t == null) {
            throw new IllegalArgumentException("fixture " + name + " has no tensor '" + tensorName + "'; it holds "
                    + tensors.keySet());
        }
        return t;
    }

    /** Which op the fixture exercises (the {@code "op"} metadata entry). */
    public String op() {
        return arg("op");
    }

    /** Input names in argument order. */
    public List<String> inputNames() {
        String s = arg("inputs");
        return s.isEmpty() ? List.of() : List.of(s.split(","));
    }

    public Tensor input(String inputName) {
        return tensor("input." + inputName);
    }

    public boolean hasInput(String inputName) {
        return has("input." + inputName);
    }

    public Tensor output() {
        return tensor("output");
    }

    public Tensor gradOutput() {
        return tensor("grad_output");
    }

    /** Whether the reference holds a gradient for this input (i.e. it is differentiable). */
    public boolean hasGrad(String inputName) {
        return has("grad." + inputName);
    }

    public Tensor grad(String inputName) {
        return tensor("grad." + inputName);
    }

    /** Names {@code <k>} of the extra results {@code output.<k>}. */
    public List<String> extraOutputNames() {
        List<String> out = new ArrayList<>();
        for (String t : tensors.keySet()) {
            if (t.startsWith("output.")) {
                out.add(t.substring("output.".length()));
            }
        }
        return out;
    }

    /** The class labels (stored as I64, read as exact floats). */
    public int[] labels() {
        float[] v = tensor("labels").toArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    public boolean hasArg(String key) {
        return metadata.containsKey(key);
    }

    public String arg(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new IllegalArgumentException("fixture " + name + " has no metadata '" + key + "'; it holds "
                    + metadata.keySet());
        }
        return v;
    }

    public int intArg(String key) {
        return Integer.parseInt(arg(key));
    }

    public float floatArg(String key) {
        return Float.parseFloat(arg(key));
    }

    public boolean boolArg(String key) {
        String v = arg(key);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("fixture " + name + ": metadata '" + key + "' is '" + v + "', not a boolean");
        }
        return v.equals("true");
    }

    /** A comma-separated int list ({@code "0,2"}; empty string for the empty list). */
    public int[] intsArg(String key) {
        String v = arg(key);
        return v.isEmpty() ? new int[0] : Arrays.stream(v.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }

    @Override
    public String toString() {
        return "Fixture(" + name + ", op " + metadata.get("op") + ", tensors " + tensors.keySet() + ")";
    }
}
