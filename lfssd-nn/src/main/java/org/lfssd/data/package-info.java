/**
 * Data for training and unlearning: the IDX format of MNIST-style files ({@link org.lfssd.data.IdxReader}),
 * an in-memory labelled {@link org.lfssd.data.Dataset}, and {@link org.lfssd.data.Batches} that cut a data
 * set into mini-batches in its given order (the order the reference importance estimate depends on).
 */
package org.lfssd.data;
