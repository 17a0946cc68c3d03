package org.integral4j.examples.data;

import java.util.function.IntUnaryOperator;

/** Synthetic Fashion-MNIST-shaped data whose pixels identify each image. */
final class Synthetic {

    private Synthetic() {
    }

    /** Images tensor {@code (n, 28, 28)}: pixel 0 = i mod 256, pixel 1 = i / 256, pixel 2 = 255, rest (i + p) mod 256. */
    static IdxData images(int n) {
        int px = FashionMnistData.PIXELS;
        byte[] b = new byte[n * px];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < px; p++) {
                b[i * px + p] = (byte) (i + p);
            }
            b[i * px] = (byte) (i & 0xFF);
            b[i * px + 1] = (byte) (i >> 8);
            b[i * px + 2] = (byte) 255;
        }
        return new IdxData(new int[] {n, 28, 28}, b);
    }

    static IdxData labels(int n, IntUnaryOperator label) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) label.applyAsInt(i);
        }
        return new IdxData(new int[] {n}, b);
    }

    /** {@code n} images, image {@code i} labelled {@code i mod 10}. */
    static FashionMnistData data(int n) {
        return data(n, i -> i % 10);
    }

    static FashionMnistData data(int n, IntUnaryOperator label) {
        return FashionMnistData.of(images(n), labels(n, label), "synthetic " + n);
    }

    /** The image index encoded in pixel 0 and 1 of a data item. */
    static int idOf(FashionMnistData d, int index) {
        return d.pixel(index, 0, 0) + 256 * d.pixel(index, 0, 1);
    }
}
