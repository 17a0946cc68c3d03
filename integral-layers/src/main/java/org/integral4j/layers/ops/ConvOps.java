package org.integral4j.layers.ops;

import java.util.Arrays;
import org.integral4j.util.Arrays2;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D convolution and its backward pass, as pure functions calling libnd4j's ops directly
 * ({@code conv2d}, {@code conv2d_bp}, {@code depthwise_conv2d}, {@code depthwise_conv2d_bp};
 * oneDNN-accelerated on the {@code -onednn} builds) on preallocated outputs.
 *
 * <p>Shapes, with the activation layout given by {@link ConvGeometry#dataFormat()}:
 * <ul>
 *   <li>NCHW: {@code x: (batch, in*, H, W)}, {@code z: (batch, out*, H', W')};</li>
 *   <li>NHWC (channels-last): {@code x: (batch, H, W, in*)}, {@code z: (batch, H', W', out*)};</li>
 *   <li>both: {@code w: (out*, in* / groups, kH, kW)} (libnd4j's weight format 1, OIYX),
 *       {@code b: (out*)}.</li>
 * </ul>
 * With {@code groups = g}, input channels {@code [k in/g, (k+1) in/g)} feed output channels
 * {@code [k out/g, (k+1) out/g)} (channel slices on axis 1 or 3); {@code g = in} is a depthwise
 * convolution with channel multiplier {@code out / in}.
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
     * @param out    the output of shape {@link #outputShape} (modified), or null to allocate
     * @return {@code out}, or a new array
     */
    public static INDArray forward(INDArray x, INDArray w, INDArray b, ConvGeometry geo, int groups, INDArray out) {
        long[] shape = outputShape(x, w, geo, groups);
        if (out != null) {
            Checks.requireShape("ConvOps", "output", shape, out.shape(), "");
        }
        INDArray z = out != null ? out : Nd4j.createUninitialized(x.dataType(), shape, 'c');
        INDArray xs = passable(geo, x) ? x : x.dup('c');
        int axis = geo.dataFormat().channelAxis();
        long in = x.size(axis);
        long outChannels = w.size(0);
        if (groups == 1) {
            execInto("conv2d", geo, new INDArray[] {xs, w, b}, z);
        } else if (groups == in) {
            execInto("depthwise_conv2d", geo, new INDArray[] {xs, depthwiseWeight(w, in), b}, z);
        } else {
            long ci = in / groups;
            long co = outChannels / groups;
            for (int k = 0; k < groups; k++) {
                INDArray xk = channels(xs, axis, k * ci, (k + 1) * ci);
                INDArray wk = channels(w, 0, k * co, (k + 1) * co);
                INDArray bk = b == null ? null : b.get(NDArrayIndex.interval(k * co, (k + 1) * co));
                INDArray zk = channels(z, axis, k * co, (k + 1) * co);
                execInto("conv2d", geo, new INDArray[] {xk.dup('c'), wk.dup('c'), bk == null ? null : bk.dup()}, zk);
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
     * @param dz     {@code dL/dz}, shape of the output (not modified)
     * @param geo    the geometry
     * @param groups number of groups
     * @return {@code dW} (shape of w), {@code db} (or null without bias) and {@code dx} (shape of x)
     */
    public static LayerGradients backward(INDArray x, INDArray w, INDArray b, INDArray dz, ConvGeometry geo, int groups) {
        return backward(x, w, b, dz, geo, groups, null);
    }

    /**
     * The backward pass of {@link #forward} with a preallocated input gradient.
     *
     * @param x      input (not modified)
     * @param w      weight (not modified)
     * @param b      bias or null (not modified; only its presence matters)
     * @param dz     {@code dL/dz}, shape of the output (not modified)
     * @param geo    the geometry
     * @param groups number of groups
     * @param dxOut  {@code dL/dx} output, shape of x (modified), or null to allocate
     * @return {@code dW} (shape of w), {@code db} (or null without bias) and {@code dx} (shape of x)
     */
    public static LayerGradients backward(INDArray x, INDArray w, INDArray b, INDArray dz, ConvGeometry geo,
                                          int groups, INDArray dxOut) {
        return backward(x, w, b, dz, geo, groups, dxOut, null, null);
    }

    /**
     * The backward pass of {@link #forward} with preallocated gradients, e.g. views of buffers sized
     * for the full width (random-partition training changes the shapes every step).
     *
     * @param x      input (not modified)
     * @param w      weight (not modified)
     * @param b      bias or null (not modified; only its presence matters)
     * @param dz     {@code dL/dz}, shape of the output (not modified)
     * @param geo    the geometry
     * @param groups number of groups
     * @param dxOut  {@code dL/dx} output, shape of x (modified), or null to allocate
     * @param dwOut  {@code dL/dw} output, shape of w, 'c' ordered with default strides (modified), or null to allocate
     * @param dbOut  {@code dL/db} output {@code (out)} (modified), or null to allocate; ignored without bias
     * @return {@code dW} (shape of w), {@code db} (or null without bias) and {@code dx} (shape of x)
     */
    public static LayerGradients backward(INDArray x, INDArray w, INDArray b, INDArray dz, ConvGeometry geo,
                                          int groups, INDArray dxOut, INDArray dwOut, INDArray dbOut) {
        long[] zShape = outputShape(x, w, geo, groups);
        Checks.requireShape("ConvOps", "output gradient dz " + geo.dataFormat().axes("out"), zShape, dz.shape(), "");
        if (dxOut != null) {
            Checks.requireShape("ConvOps", "input gradient dx", x.shape(), dxOut.shape(), "");
        }
        if (dwOut != null) {
            Checks.requireShape("ConvOps", "weight gradient dw", w.shape(), dwOut.shape(), "");
            Checks.require(contiguous(dwOut), "ConvOps", "the weight gradient output must be one contiguous block in "
                    + "'c' order, got order %s, strides %s for shape %s.", dwOut.ordering(),
                    Arrays.toString(dwOut.stride()), Arrays.toString(dwOut.shape()));
        }
        if (dbOut != null && b != null) {
            Checks.requireShape("ConvOps", "bias gradient db", new long[] {w.size(0)}, dbOut.shape(), "");
        }
        INDArray dx = dxOut != null ? dxOut : Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        INDArray dw = dwOut != null ? dwOut : Nd4j.createUninitialized(w.dataType(), w.shape(), 'c');
        INDArray db = b == null ? null
                : dbOut != null ? dbOut : Nd4j.createUninitialized(w.dataType(), new long[] {w.size(0)}, 'c');
        int axis = geo.dataFormat().channelAxis();
        long in = x.size(axis);
        long out = w.size(0);
        INDArray xs = passable(geo, x) ? x : x.dup('c');
        // The gradient from the activation is usually 'c' already; copy only when it is not.
        INDArray dzc = contiguous(dz) ? dz : dz.dup('c');
        if (groups == 1) {
            INDArray dxWork = passable(geo, dx) ? dx : Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
            ConvGeometry.DataFormat f = geo.dataFormat();
            boolean oneDnn = ConvBackwardPath.allowOneDnn(geo, groups, in, out, dz.size(f.heightAxis()),
                    dz.size(f.widthAxis()), x.dataType());
            bp("conv2d_bp", geo, xs, w, b, dzc, dxWork, dw, db, oneDnn);
            if (dxWork != dx) {
                dx.assign(dxWork);
            }
        } else if (groups == in) {
            long multiplier = out / in;
            INDArray dwDepthwise = Nd4j.createUninitialized(w.dataType(), new long[] {multiplier, in, w.size(2), w.size(3)},
                    'c');
            INDArray dxWork = passable(geo, dx) ? dx : Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
            bp("depthwise_conv2d_bp", geo, xs, depthwiseWeight(w, in), b, dzc, dxWork, dwDepthwise, db, true);
            if (dxWork != dx) {
                dx.assign(dxWork);
            }
            dw.assign(dwDepthwise.permute(1, 0, 2, 3).reshape(w.shape()));
        } else {
            long ci = in / groups;
            long co = out / groups;
            for (int k = 0; k < groups; k++) {
                INDArray xk = channels(xs, axis, k * ci, (k + 1) * ci).dup('c');
                INDArray wk = channels(w, 0, k * co, (k + 1) * co).dup('c');
                INDArray dzk = channels(dzc, axis, k * co, (k + 1) * co).dup('c');
                INDArray dxk = Nd4j.createUninitialized(x.dataType(), xk.shape(), 'c');
                INDArray dwk = Nd4j.createUninitialized(w.dataType(), wk.shape(), 'c');
                INDArray dbk = b == null ? null : Nd4j.createUninitialized(w.dataType(), new long[] {co}, 'c');
                INDArray bk = b == null ? null : b.get(NDArrayIndex.interval(k * co, (k + 1) * co)).dup();
                bp("conv2d_bp", geo, xk, wk, bk, dzk, dxk, dwk, dbk, true);
                channels(dx, axis, k * ci, (k + 1) * ci).assign(dxk);
                channels(dw, 0, k * co, (k + 1) * co).assign(dwk);
                if (db != null) {
                    db.get(NDArrayIndex.interval(k * co, (k + 1) * co)).assign(dbk);
                }
            }
        }
        return new LayerGradients(dw, db, dx);
    }

    /**
     * The output shape, validating channel counts against the weight and the groups.
     *
     * @param x      input, {@code (batch, in, H, W)} (NCHW) or {@code (batch, H, W, in)} (NHWC)
     * @param w      weight {@code (out, in / groups, kH, kW)}
     * @param geo    geometry (with the data format)
     * @param groups groups
     * @return {@code (batch, out, H', W')} (NCHW) or {@code (batch, H', W', out)} (NHWC)
     */
    public static long[] outputShape(INDArray x, INDArray w, ConvGeometry geo, int groups) {
        ConvGeometry.DataFormat f = geo.dataFormat();
        Checks.requireRank("ConvOps", "input x " + f.axes("in") + " (" + f + ")", 4, x);
        Checks.requireRank("ConvOps", "weight w (out, in/groups, kH, kW)", 4, w);
        long in = x.size(f.channelAxis());
        long out = w.size(0);
        Checks.require(groups >= 1 && in % groups == 0 && out % groups == 0, "ConvOps",
                "groups (%d) must divide the input (%d) and output (%d) channel counts.", groups, in, out);
        Checks.require(w.size(1) == in / groups, "ConvOps",
                "weight %s expects %d input channels per group, but the input %s has %d channels (axis %d, %s) in "
                        + "%d group(s). Check the data format of the geometry if the input is laid out the other way.",
                Arrays.toString(w.shape()), w.size(1), Arrays.toString(x.shape()), in, f.channelAxis(), f, groups);
        Checks.require(w.size(2) == geo.kernelHeight() && w.size(3) == geo.kernelWidth(), "ConvOps",
                "weight kernel %dx%d does not match the geometry %s.", w.size(2), w.size(3), geo);
        long[] hw = geo.outputSize(x.size(f.heightAxis()), x.size(f.widthAxis()));
        Checks.require(hw[0] >= 1 && hw[1] >= 1, "ConvOps", "input %s is too small for %s.",
                Arrays.toString(x.shape()), geo);
        return f.shape(x.size(0), out, hw[0], hw[1]);
    }

    /** The channel slice {@code [from, to)} of a rank-4 array on {@code axis} (a view). */
    private static INDArray channels(INDArray a, int axis, long from, long to) {
        INDArrayIndex[] index = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()};
        index[axis] = NDArrayIndex.interval(from, to);
        return a.get(index);
    }

    /** {@code (C*M, 1, kH, kW)} to libnd4j's depthwise layout {@code [M, C, kH, kW]}. */
    private static INDArray depthwiseWeight(INDArray w, long in) {
        long multiplier = w.size(0) / in;
        return w.dup('c').reshape('c', in, multiplier, w.size(2), w.size(3)).permute(1, 0, 2, 3).dup('c');
    }

    /**
     * Whether an activation can be handed to libnd4j as it is. M2.1's oneDNN {@code conv2d} and
     * {@code conv2d_bp} in NHWC ignore the strides of a non-contiguous activation (a permuted or
     * channel-sliced view gave values around 1e32 in float, and a permuted output view crashed the
     * JVM; double, which does not use oneDNN, was right), while NCHW views are handled correctly.
     * So NHWC activations go to the ops 'c' ordered with default strides; NCHW views are passed
     * through (no copy).
     */
    private static boolean passable(ConvGeometry geo, INDArray a) {
        return geo.dataFormat() == ConvGeometry.DataFormat.NCHW
                || (a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a));
    }

    /** Whether an array is 'c' ordered with default strides (a contiguous block, possibly inside a larger buffer). */
    private static boolean contiguous(INDArray a) {
        return a.ordering() == 'c' && Arrays2.isContiguousC(a);
    }

    /** Runs a forward op into {@code target}, through a contiguous copy when it is not {@link #passable}. */
    private static void execInto(String op, ConvGeometry geo, INDArray[] inputs, INDArray target) {
        INDArray work = passable(geo, target) ? target : Nd4j.createUninitialized(target.dataType(), target.shape(), 'c');
        exec(op, geo, inputs, new INDArray[] {work});
        if (work != target) {
            target.assign(work);
        }
    }

    private static void exec(String op, ConvGeometry geo, INDArray[] inputs, INDArray[] outputs) {
        exec(op, geo, inputs, outputs, true);
    }

    /**
     * Runs a libnd4j op; with {@code helpers} false, through an op context that forbids platform
     * helpers (oneDNN), so libnd4j's own implementation runs ({@link ConvBackwardPath}).
     */
    private static void exec(String op, ConvGeometry geo, INDArray[] inputs, INDArray[] outputs, boolean helpers) {
        INDArray[] present = Arrays.stream(inputs).filter(a -> a != null).toArray(INDArray[]::new);
        int[] args = geo.opArguments();
        DynamicCustomOp custom = DynamicCustomOp.builder(op).addInputs(present).addOutputs(outputs)
                .addIntegerArguments(args).build();
        if (helpers) {
            Nd4j.exec(custom);
            return;
        }
        try (OpContext ctx = Nd4j.getExecutioner().buildContext()) {
            ctx.setInputArrays(present);
            ctx.setOutputArrays(outputs);
            ctx.setIArguments(Arrays.stream(args).asLongStream().toArray());
            ctx.allowHelpers(false);
            Nd4j.getExecutioner().exec(custom, ctx);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException("closing the op context of " + op, e);
        }
    }

    private static void bp(String op, ConvGeometry geo, INDArray x, INDArray w, INDArray b, INDArray dz, INDArray dx,
                           INDArray dw, INDArray db, boolean helpers) {
        if (b == null) {
            exec(op, geo, new INDArray[] {x, w, dz}, new INDArray[] {dx, dw}, helpers);
        } else {
            exec(op, geo, new INDArray[] {x, w, b.reshape(b.length()), dz}, new INDArray[] {dx, dw, db}, helpers);
        }
    }
}
