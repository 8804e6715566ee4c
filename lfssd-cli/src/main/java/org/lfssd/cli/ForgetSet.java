package org.lfssd.cli;

import java.nio.file.Path;
import java.util.Map;
import org.lfssd.data.Dataset;

/**
 * A resolved forget set.
 *
 * @param data        the images (preprocessed) with labels
 * @param description for people, e.g. "class 3 (Dress), 312 training images"
 * @param spec        for the audit record: how it was given and the SHA-256 of its sample ids or file names
 * @param files       files that define it (an index file, the images of a folder) by audit role, to be hashed
 * @param trainIndices the training-set indices of the samples, or null for a folder
 */
record ForgetSet(Dataset data, String description, Map<String, Object> spec, Map<String, Path> files, int[] trainIndices) {}
