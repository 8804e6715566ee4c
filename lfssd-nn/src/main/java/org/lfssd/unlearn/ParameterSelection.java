package org.lfssd.unlearn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.lfssd.autograd.Var;
import org.lfssd.nn.Module;

/**
 * The parameters an unlearner works on: the model's trainable parameters ({@link Module#namedParameters()},
 * never buffers, as the authors' {@code named_parameters()} loop) whose state-dict name passes the
 * unlearner's filter, in model order. The importance pass and the check that a stored Ω describes the model
 * must agree on this set, so both ask here.
 */
final class ParameterSelection {
    private ParameterSelection() {}

    /**
     * The parameters of {@code model} accepted by {@code filter}, in the model's order.
     *
     * @param model  the model
     * @param filter accepts state-dict names
     * @return name to parameter, possibly empty
     */
    static Map<String, Var> select(Module model, Predicate<String> filter) {
        Map<String, Var> selected = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> {
            if (filter.test(name)) {
                selected.put(name, p);
            }
        });
        return selected;
    }
}
