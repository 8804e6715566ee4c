/**
 * Mutation fuzzing of the file readers (safetensors, IDX): deterministic for a seed, with an oracle per
 * reader. The test suite runs a short fixed run; {@link org.lfssd.bench.fuzz.ReaderFuzz} runs long ones.
 */
package org.lfssd.bench.fuzz;
