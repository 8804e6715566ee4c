package org.lfssd.data;

/** Which half of a data set with a fixed train/test division (CIFAR-10, CIFAR-100). */
public enum Split {
    /** The training images. */
    TRAIN,
    /** The held-out test images. */
    TEST
}
