/**
 * Data for training and unlearning: the IDX format of MNIST-style files ({@link org.lfssd.data.IdxReader}),
 * an in-memory labelled {@link org.lfssd.data.Dataset}, and {@link org.lfssd.data.Batches} that cut a data
 * set into mini-batches in its given order (the order the reference importance estimate depends on). For the
 * papers' experiments: the CIFAR binary distributions ({@link org.lfssd.data.Cifar10},
 * {@link org.lfssd.data.Cifar100}), {@link org.lfssd.data.ImageFolder}, and preprocessing
 * ({@link org.lfssd.data.Normalization}, {@link org.lfssd.data.BilinearResize},
 * {@link org.lfssd.data.RandomCropFlip}).
 */
package org.lfssd.data;
