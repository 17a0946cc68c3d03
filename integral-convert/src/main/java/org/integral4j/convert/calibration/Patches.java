package org.integral4j.convert.calibration;

import java.util.Random;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rows of the least-squares problems: for a convolution, the input patches (im2col rows) at
 * sampled output positions; for a dense layer, the input rows themselves.
 *
 * <p>A convolution {@code y[o, oy, ox] = sum_{c, i, j} W[o, c, i, j] x[c, oy*sH - pT + i*dH,
 * ox*sW - pL + j*dW] + b[o]} is, at one output position, the product of the patch row
 * {@code p[(c*kH + i)*kW + j]} with the flattened weight {@code W (out, in*kH*kW)}; outside the
 * input the patch is 0 (zero padding). Padding follows DL4J: explicit for Truncate/Strict, and
 * for Same {@code pT = ((oH - 1) sH + (kH - 1) dH + 1 - H) / 2} with {@code oH = ceil(H / sH)}.
 */
final class Patches {

    /** Convolution geometry. */
    record Geometry(int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW, boolean same, boolean nhwc) {

        static Geometry of(ConvolutionLayer c) {
            int[] k = c.getKernelSize();
            int[] s = c.getStride();
            int[] p = c.getPadding();
            int[] d = c.getDilation();
            ConvolutionMode mode = c.getConvolutionMode();
            if (mode == ConvolutionMode.Causal) {
                throw new IllegalArgumentException("causal convolutions are not calibrated");
            }
            return new Geometry(k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], mode == ConvolutionMode.Same,
                    c.getCnn2dDataFormat() == CNN2DFormat.NHWC);
        }

        int outH(int h) {
            return same ? (h + sH - 1) / sH : (h + 2 * pH - (kH - 1) * dH - 1) / sH + 1;
        }

        int outW(int w) {
            return same ? (w + sW - 1) / sW : (w + 2 * pW - (kW - 1) * dW - 1) / sW + 1;
        }

        int padTop(int h) {
            return same ? Math.max(0, ((outH(h) - 1) * sH + (kH - 1) * dH + 1 - h) / 2) : pH;
        }

        int padLeft(int w) {
            return same ? Math.max(0, ((outW(w) - 1) * sW + (kW - 1) * dW + 1 - w) / 2) : pW;
        }
    }

    /** Sampled output positions of one chunk: image index within the chunk and flat position oy*oW+ox. */
    record Positions(int[] image, int[] position) {
        int rows() {
            return image.length;
        }
    }

    private Patches() {
    }

    /**
     * Draws {@code perImage} distinct output positions of each of {@code n} images (all positions
     * when there are fewer).
     */
    static Positions sample(int n, int positions, int perImage, Random rng) {
        int r = Math.min(positions, perImage);
        int[] image = new int[n * r];
        int[] pos = new int[n * r];
        int[] perm = new int[positions];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < positions; i++) {
                perm[i] = i;
            }
            for (int i = 0; i < r; i++) {
                int j = r == positions ? i : i + rng.nextInt(positions - i);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
                image[b * r + i] = b;
                pos[b * r + i] = perm[i];
            }
        }
        return new Positions(image, pos);
    }

    /**
     * The patch rows of a convolution input at the given positions.
     *
     * @param x   input {@code (n, C, H, W)} (NCHW) or {@code (n, H, W, C)} (NHWC)
     * @param g   the geometry
     * @param pos the positions (in the output grid of this input)
     * @return {@code (rows, C*kH*kW)} double
     */
    static INDArray conv(INDArray x, Geometry g, Positions pos) {
        INDArray nchw = g.nhwc() ? x.permute(0, 3, 1, 2) : x;
        double[] data = nchw.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int c = (int) nchw.size(1);
        int h = (int) nchw.size(2);
        int w = (int) nchw.size(3);
        int ow = g.outW(w);
        int pt = g.padTop(h);
        int pl = g.padLeft(w);
        int cols = c * g.kH() * g.kW();
        int rows = pos.rows();
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            int b = pos.image()[r];
            int oy = pos.position()[r] / ow;
            int ox = pos.position()[r] % ow;
            int base = r * cols;
            for (int ch = 0; ch < c; ch++) {
                int plane = (b * c + ch) * h * w;
                for (int i = 0; i < g.kH(); i++) {
                    int y = oy * g.sH() - pt + i * g.dH();
                    int col = base + (ch * g.kH() + i) * g.kW();
                    if (y < 0 || y >= h) {
                        continue;
                    }
                    for (int j = 0; j < g.kW(); j++) {
                        int xx = ox * g.sW() - pl + j * g.dW();
                        if (xx >= 0 && xx < w) {
                            out[col + j] = data[plane + y * w + xx];
                        }
                    }
                }
            }
        }
        return Nd4j.create(out, new long[] {rows, cols}, DataType.DOUBLE);
    }
}
