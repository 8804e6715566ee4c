package org.lfssd.models;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.lfssd.nn.BatchNorm2d;
import org.lfssd.nn.LayerNorm;
import org.lfssd.nn.Module;
import org.lfssd.tensor.Tensor;

/**
 * The deterministic full-size weights shared with {@code make_model_fixtures.py} ({@code hashed_state}):
 * full-size parity needs identical weights on both sides without committing tens of megabytes.
 * Tensor {@code k} (state-dict order) gets {@code v = u(k, i)}, a 24-bit value in [-1, 1) from splitmix64 of the
 * counter {@code (k << 32) + i}, mapped per key: {@code num_batches_tracked} 0, {@code running_var} 1 + 0.5v,
 * {@code running_mean} 0.1v, BN/LN weight 1 + 0.1v, BN/LN bias 0.1v, other rank >= 2 weights
 * {@code v·float(√(6/fan_in))}, anything else 0.1v, all in float32.
 */
final class HashedWeights {
    private HashedWeights() {}

    static float uniform(long tensorIndex, long element) {
        long z = ((tensorIndex << 32) + element + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        int top24 = (int) (z >>> 40);
        return (top24 - (1 << 23)) / (float) (1 << 23);
    }

    /** The hashed state for {@code model}'s keys and shapes. */
    static Map<String, Tensor> state(Module model) {
        Set<String> normPrefixes = new HashSet<>();
        model.namedModules().forEach((path, m) -> {
            if (m instanceof BatchNorm2d || m instanceof LayerNorm) {
                normPrefixes.add(path + ".");
            }
        });
        Map<String, Tensor> out = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            String key = e.getKey();
            int[] shape = e.getValue().shape();
            Tensor t = Tensor.zeros(shape);
            int dot = key.lastIndexOf('.');
            String prefix = key.substring(0, dot + 1);
            String leaf = key.substring(dot + 1);
            boolean norm = normPrefixes.contains(prefix);
            float[] d = t.data();
            if (!leaf.equals("num_batches_tracked")) {
                float heScale = shape.length >= 2 ? (float) Math.sqrt(6.0 / (t.numel() / shape[0])) : 0f;
                for (int i = 0; i < d.length; i++) {
                    float v = uniform(k, i);
                    if (leaf.equals("running_var")) {
                        d[i] = 1f + 0.5f * v;
                    } else if (leaf.equals("running_mean")) {
                        d[i] = 0.1f * v;
                    } else if (norm && leaf.equals("weight")) {
                        d[i] = 1f + 0.1f * v;
                    } else if (norm && leaf.equals("bias")) {
                        d[i] = 0.1f * v;
                    } else if (leaf.equals("weight") && shape.length >= 2) {
                        d[i] = v * heScale;
                    } else {
                        d[i] = 0.1f * v;
                    }
                }
            }
            out.put(key, t);
            k++;
        }
        return out;
    }
}
