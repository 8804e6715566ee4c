package org.lfssd.nn;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.lfssd.autograd.Var;
import org.lfssd.tensor.Shapes;

/**
 * The text of {@link Module#toString()}: the module tree as PyTorch prints it ({@code (name): Class(...)},
 * children indented by two spaces), with each module's own parameters and their shapes, and its trainable
 * parameter count (its own and its descendants', each shared parameter once):
 *
 * <pre>
 * Sequential(  618 parameters
 *   (0): Linear(weight=[32, 8], bias=[32])  288 parameters
 *   (1): ReLU()
 *   (2): Linear(weight=[10, 32], bias=[10])  330 parameters
 * )
 * </pre>
 */
final class ModuleTree {
    private static final String INDENT = "  ";

    private ModuleTree() {}

    /** The tree of {@code root}, without a trailing newline. */
    static String of(Module root) {
        StringBuilder out = new StringBuilder();
        append(out, root, "");
        return out.toString();
    }

    private static void append(StringBuilder out, Module m, String indent) {
        out.append(className(m)).append('(');
        Map<String, Var> own = m.ownParameters();
        long count = m.parameterCount();
        if (m.children().isEmpty()) {
            StringJoiner shapes = new StringJoiner(", ");
            own.forEach((name, p) -> shapes.add(name + "=" + Shapes.str(p.value().shape())));
            out.append(shapes).append(')').append(countSuffix(count));
            return;
        }
        out.append(countSuffix(count));
        String inner = indent + INDENT;
        // A container's own parameters (a ViT's cls_token, pos_embed) come first, as in its state dict.
        own.forEach((name, p) -> out.append('\n').append(inner).append('(').append(name).append("): ")
                .append(Shapes.str(p.value().shape())));
        m.children().forEach((name, child) -> {
            out.append('\n').append(inner).append('(').append(name).append("): ");
            append(out, child, inner);
        });
        out.append('\n').append(indent).append(')');
    }

    private static String countSuffix(long count) {
        if (count == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "  %,d parameter%s", count, count == 1 ? "" : "s");
    }

    /** The simple name; an anonymous module is named by the class it extends. */
    private static String className(Module m) {
        Class<?> c = m.getClass();
        while (c.getSimpleName().isEmpty()) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }
}
