package org.lfssd.eval;

/** In which mode the ZRF "unlearning teacher" (a freshly initialised model) is run. */
public enum TeacherMode {
    /** Eval mode: BatchNorm uses its (initial) running statistics, so the score does not depend on batching. The default. */
    EVAL,
    /**
     * The official code: the teacher is never put in {@code eval()} (ALGORITHM.md §8.1), so a ResNet's
     * BatchNorm normalises with each batch's own statistics.
     */
    OFFICIAL_TRAIN_MODE
}
