package org.lfssd.unlearn;

import java.util.ArrayList;
import java.util.List;
import org.lfssd.nn.Module;

/**
 * The training flag of every module in a tree, captured so that it can be restored exactly even if the
 * caller had set different modes on different submodules (e.g. a frozen, eval-mode backbone).
 */
final class TrainingModes {
    private final List<Module> modules = new ArrayList<>();
    private final List<Boolean> modes = new ArrayList<>();

    private TrainingModes(Module root) {
        collect(root);
    }

    static TrainingModes capture(Module root) {
        return new TrainingModes(root);
    }

    private void collect(Module m) {
        modules.add(m);
        modes.add(m.isTraining());
        m.children().values().forEach(this::collect);
    }

    /** Restores every captured flag. */
    void restore() {
        // Module.train(mode) is recursive, so restoring in pre-order lets each descendant overwrite what
        // its ancestor just set.
        for (int i = 0; i < modules.size(); i++) {
            modules.get(i).train(modes.get(i));
        }
    }
}
