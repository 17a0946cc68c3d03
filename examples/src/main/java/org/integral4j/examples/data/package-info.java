/**
 * Fashion-MNIST data access for the examples: an IDX file reader and writer, the dataset with its
 * source selection (explicit directory, {@value org.integral4j.examples.data.FashionMnist#DIR_PROPERTY}
 * system property, {@value org.integral4j.examples.data.FashionMnist#DIR_ENV} environment variable,
 * the Debian package {@code dataset-fashion-mnist}, or a small subset embedded in the jar), and a
 * seeded, resettable ND4J {@link org.nd4j.linalg.dataset.api.iterator.DataSetIterator}.
 *
 * <p>Tensor layouts: features {@code (batch, 1, 28, 28)} float in [0, 1] (NCHW, DL4J's CNN layout),
 * labels one-hot {@code (batch, 10)} float. Entry point: {@link org.integral4j.examples.data.FashionMnist}.
 *
 * <p>Fashion-MNIST: Han Xiao, Kashif Rasul, Roland Vollgraf, "Fashion-MNIST: a Novel Image Dataset for
 * Benchmarking Machine Learning Algorithms", arXiv:1708.07747 (2017); Zalando Research, MIT licence.
 */
package org.integral4j.examples.data;
