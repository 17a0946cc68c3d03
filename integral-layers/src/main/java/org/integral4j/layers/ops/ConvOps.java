package org.integral4j.layers.ops;

import java.util.Arrays;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D convolution (NCHW) and its backward pass, as pure functions calling libnd4j's ops directly
 * ({@code conv2d}, {@code conv2d_bp}, {@code depthwise_conv2d}, {@code depthwise_conv2d_bp};
 * oneDNN-accelerated on the {@code -onednn} builds) on preallocated outputs.
 *
 * <p>Shapes: {@code x: (batch, in*, H, W)}, {@code w: (out*, in* / groups, kH, kW)},
 * {@code b: (out*)}, {@code z: (batch, out*, H', W')}. With {@code groups = g}, input channels
 * {@code [k in/g, (k+1) in/g)} feed output channels {@code [k out/g, (k+1) out/g)}; {@code g = in}
 * is a depthwise convolution with channel multiplier {@code out / in}.
 */
public final class ConvOps {

    private ConvOps() {
    }

    /**
     * {@code z = conv(x, w) + b}.
     *
     * @param x      input (not modified)
     * @param w      weight (not modified)
     * @param b      bias {@code (out)} or null (not modified)
     * @param geo    the geometry
     * @param groups number of groups, dividing both channel counts
     * @return a new output array
     */
    public static INDArray forward(INDArray x, INDArray w, INDArray b, ConvGeometry geo, int groups) {
        return forward(x, w, b, geo, groups, null);
    }

    /**
     * {@code z = conv(x, w) + b} into a preallocated output.
     *
     * @param x      input (not modified)
     * @param w      weight (not modified)
     * @param b      bias {@code (out)} or null (not modified)
     * @param geo    the geometry
     * @param groups number of groups, dividing both channel counts
     * @param out    the output {@code (batch, out, H', W')}, 'c' ordered (modified), or null to allocate
     * @return {@code out}, or a new array
     */
    public static INDArray forward(INDArray x, INDArray w, INDArray b, ConvGeometry geo, int groups, INDArray out) {
        long[] shape = outputShape(x, w, geo, groups);
        if (out != null) {
            Checks.requireShape("ConvOps", "output", shape, out.shape(), "");
        }
        INDArray z = out != null ? out : Nd4j.createUninitialized(x.dataType(), shape, 'c');
        long in = x.size(1);
        long outChannels = w.size(0);
        if (groups == 1) {
            exec("conv2d", geo, new INDArray[] {x, w, b}, new INDArray[] {z});
        } else if (groups == in) {
            exec("depthwise_conv2d", geo, new INDArray[] {x, depthwiseWeight(w, in), b}, new INDArray[] {z});
        } else {
            long ci = in / groups;
            long co = outChannels / groups;
            for (int k = 0; k < groups; k++) {
                INDArray xk = x.get(NDArrayIndex.all(), NDArrayIndex.interval(k * ci, (k + 1) * ci), NDArrayIndex.all(),
                        NDArrayIndex.all());
                INDArray wk = w.get(NDArrayIndex.interval(k * co, (k + 1) * co), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all());
                INDArray bk = b == null ? null : b.get(NDArrayIndex.interval(k * co, (k + 1) * co));
                INDArray zk = z.get(NDArrayIndex.all(), NDArrayIndex.interval(k * co, (k + 1) * co), NDArrayIndex.all(),
                        NDArrayIndex.all());
                exec("conv2d", geo, new INDArray[] {xk.dup('c'), wk.dup('c'), bk == null ? null : bk.dup()},
                        new INDArray[] {zk});
            }
        }
        return z;
    }

    /**
     * The backward pass of {@link #forward}.
     *
     * @param x      input (not modified)
     * @param w      weight (not modified)
     * @param b      bias or null (not modified; only its presence matters)
     * @param dz     {@code dL/dz} (not modified)
     * @param geo    the geometry
     * @param groups number of groups
     * @return {@code dW} (shape of w), {@code db} (or null without bias) and {@code dx} (shape of x)
     */
    public static INDArray[] backward(INDArray x, INDArray w, INDArray b, INDArray dz, ConvGeometry geo, int groups) {
        return backward(x, w, b, dz, geo, groups, null);
    }

    /**
     * The backward pass of {@link #forward} with a preallocated input gradient.
     *
     * @param x      input (not modified)
     * @param w      weight (not modified)
     * @param b      bias or null (not modified; only its presence matters)
     * @param dz     {@code dL/dz} (not modified)
     * @param geo    the geometry
     * @param groups number of groups
     * @param dxOut  {@code dL/dx} output, shape of x, 'c' ordered (modified), or null to allocate
     * @return {@code dW} (shape of w), {@code db} (or null without bias) and {@code dx} (shape of x)
     */
    public static INDArray[] backward(INDArray x, INDArray w, INDArray b, INDArray dz, ConvGeometry geo, int groups,
                                      INDArray dxOut) {
        INDArray dx = dxOut != null ? dxOut : Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        INDArray dw = Nd4j.createUninitialized(w.dataType(), w.shape(), 'c');
        INDArray db = b == null ? null : Nd4j.createUninitialized(w.dataType(), new long[] {w.size(0)}, 'c');
        long in = x.size(1);
        long out = w.size(0);
        INDArray dzc = dz.dup('c');
        if (groups == 1) {
            bp("conv2d_bp", geo, x, w, b, dzc, dx, dw, db);
        } else if (groups == in) {
            long multiplier = out / in;
            INDArray dwDepthwise = Nd4j.createUninitialized(w.dataType(), new long[] {multiplier, in, w.size(2), w.size(3)},
                    'c');
            bp("depthwise_conv2d_bp", geo, x, depthwiseWeight(w, in), b, dzc, dx, dwDepthwise, db);
            dw.assign(dwDepthwise.permute(1, 0, 2, 3).reshape(w.shape()));
        } else {
            long ci = in / groups;
            long co = out / groups;
            for (int k = 0; k < groups; k++) {
                INDArray xk = channels(x, k * ci, (k + 1) * ci).dup('c');
                INDArray wk = w.get(NDArrayIndex.interval(k * co, (k + 1) * co), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all()).dup('c');
                INDArray dzk = channels(dzc, k * co, (k + 1) * co).dup('c');
                INDArray dxk = Nd4j.createUninitialized(x.dataType(), xk.shape(), 'c');
                INDArray dwk = Nd4j.createUninitialized(w.dataType(), wk.shape(), 'c');
                INDArray dbk = b == null ? null : Nd4j.createUninitialized(w.dataType(), new long[] {co}, 'c');
                INDArray bk = b == null ? null : b.get(NDArrayIndex.interval(k * co, (k + 1) * co)).dup();
                bp("conv2d_bp", geo, xk, wk, bk, dzk, dxk, dwk, dbk);
                channels(dx, k * ci, (k + 1) * ci).assign(dxk);
                dw.get(NDArrayIndex.interval(k * co, (k + 1) * co), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all()).assign(dwk);
                if (db != null) {
                    db.get(NDArrayIndex.interval(k * co, (k + 1) * co)).assign(dbk);
                }
            }
        }
        return new INDArray[] {dw, db, dx};
    }

    /**
     * The output shape, validating channel counts against the weight and the groups.
     *
     * @param x      input
     * @param w      weight
     * @param geo    geometry
     * @param groups groups
     * @return {@code (batch, out, H', W')}
     */
    public static long[] outputShape(INDArray x, INDArray w, ConvGeometry geo, int groups) {
        Checks.requireRank("ConvOps", "input x (batch, in, H, W)", 4, x);
        Checks.requireRank("ConvOps", "weight w (out, in/groups, kH, kW)", 4, w);
        long in = x.size(1);
        long out = w.size(0);
        Checks.require(groups >= 1 && in % groups == 0 && out % groups == 0, "ConvOps",
                "groups (%d) must divide the input (%d) and output (%d) channel counts.", groups, in, out);
        Checks.require(w.size(1) == in / groups, "ConvOps",
                "weight %s expects %d input channels per group, but the input %s has %d channels in %d group(s).",
                Arrays.toString(w.shape()), w.size(1), Arrays.toString(x.shape()), in, groups);
        Checks.require(w.size(2) == geo.kernelHeight() && w.size(3) == geo.kernelWidth(), "ConvOps",
                "weight kernel %dx%d does not match the geometry %s.", w.size(2), w.size(3), geo);
        long[] hw = geo.outputSize(x.size(2), x.size(3));
        Checks.require(hw[0] >= 1 && hw[1] >= 1, "ConvOps", "input %s is too small for %s.",
                Arrays.toString(x.shape()), geo);
        return new long[] {x.size(0), out, hw[0], hw[1]};
    }

    private static INDArray channels(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** {@code (C*M, 1, kH, kW)} to libnd4j's depthwise layout {@code [M, C, kH, kW]}. */
    private static INDArray depthwiseWeight(INDArray w, long in) {
        long multiplier = w.size(0) / in;
        return w.dup('c').reshape('c', in, multiplier, w.size(2), w.size(3)).permute(1, 0, 2, 3).dup('c');
    }

    private static void exec(String op, ConvGeometry geo, INDArray[] inputs, INDArray[] outputs) {
        INDArray[] present = Arrays.stream(inputs).filter(a -> a != null).toArray(INDArray[]::new);
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(present).addOutputs(outputs)
                .addIntegerArguments(geo.opArguments()).build());
    }

    private static void bp(String op, ConvGeometry geo, INDArray x, INDArray w, INDArray b, INDArray dz, INDArray dx,
                           INDArray dw, INDArray db) {
        if (b == null) {
            exec(op, geo, new INDArray[] {x, w, dz}, new INDArray[] {dx, dw});
        } else {
            exec(op, geo, new INDArray[] {x, w, b.reshape(b.length()), dz}, new INDArray[] {dx, dw, db});
        }
    }
}
