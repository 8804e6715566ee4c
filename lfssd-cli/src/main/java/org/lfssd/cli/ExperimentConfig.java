package org.lfssd.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed access to an {@code experiment} JSON config; every error names the key and what was expected.
 */
final class ExperimentConfig {
    private final Map<String, Object> root;
    private final String source;

    @SuppressWarnings("unchecked")
    ExperimentConfig(Object doc, String source) {
        if (!(doc instanceof Map)) {
            throw new InputRejectedException(source + ": the config must be a JSON object");
        }
        this.root = (Map<String, Object>) doc;
        this.source = source;
    }

    Map<String, Object> root() {
        return root;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(Map<String, Object> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null) {
            if (required) {
                throw new InputRejectedException(source + ": missing \"" + key + "\"");
            }
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw new InputRejectedException(source + ": \"" + key + "\" must be an object, got " + v);
        }
        return (Map<String, Object>) v;
    }

    String string(Map<String, Object> m, String key, String def) {
        Object v = m.get(key);
        if (v == null) {
            if (def == null) {
                throw new InputRejectedException(source + ": missing \"" + key + "\"");
            }
            return def;
        }
        if (!(v instanceof String s)) {
            throw new InputRejectedException(source + ": \"" + key + "\" must be a string, got " + v);
        }
        return s;
    }

    double number(Map<String, Object> m, String key, Double def) {
        Object v = m.get(key);
        if (v == null) {
            if (def == null) {
                throw new InputRejectedException(source + ": missing \"" + key + "\"");
            }
            return def;
        }
        if (!(v instanceof Number n)) {
            throw new InputRejectedException(source + ": \"" + key + "\" must be a number, got " + v);
        }
        return n.doubleValue();
    }

    int integer(Map<String, Object> m, String key, Integer def) {
        double d = number(m, key, def == null ? null : def.doubleValue());
        if (d != Math.rint(d)) {
            throw new InputRejectedException(source + ": \"" + key + "\" must be an integer, got " + d);
        }
        return (int) d;
    }

    boolean bool(Map<String, Object> m, String key, boolean def) {
        Object v = m.get(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof Boolean b)) {
            throw new InputRejectedException(source + ": \"" + key + "\" must be true or false, got " + v);
        }
        return b;
    }

    List<Object> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new InputRejectedException(source + ": \"" + key + "\" must be an array, got " + v);
        }
        return new ArrayList<>(l);
    }

    double[] numbers(Map<String, Object> m, String key) {
        List<Object> l = list(m, key);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                throw new InputRejectedException(source + ": \"" + key + "\"[" + i + "] must be a number, got " + l.get(i));
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    float[] floats(Map<String, Object> m, String key) {
        if (!m.containsKey(key)) {
            return null;
        }
        double[] d = numbers(m, key);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    String source() {
        return source;
    }
}
