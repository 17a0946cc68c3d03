package org.integral4j.function;

import java.util.Arrays;
import org.integral4j.grid.Grid1D;
import org.integral4j.interp.InterpolationMatrix;
import org.integral4j.quadrature.DifferentiableQuadrature;
import org.integral4j.quadrature.Quadrature;
import org.integral4j.util.Arrays2;
import org.integral4j.util.Checks;
import org.integral4j.util.DirectAccess;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A weight tensor represented as a smooth function: a trainable tensor {@code lambda} of knot
 * values, interpolated by cubic convolution at grid points and multiplied by quadrature weights
 * along one axis (Solodskikh et al., "Integral Neural Networks", CVPR 2023, eq. 3-5; TorchIntegral's
 * {@code GridSampleWeights1D/2D}).
 *
 * <p>Axes. The weight has a fixed rank and canonical layout, e.g. dense {@code (out, in)} or
 * convolution {@code (out, in, kH, kW)}. One or two axes are <em>continuous</em> (marked
 * {@code *}: their length is the size of a grid and changes when the network is resized); the
 * others are <em>discrete</em> (kernel taps, a fixed class axis). {@code lambda} has the same rank
 * and layout, with each continuous axis of length {@code m} (the knot count; by default the full
 * size {@code n} of that axis, TorchIntegral's {@code scale = 1}).
 *
 * <p>Sampling, for grids {@code g_a} (one per continuous axis, points on {@code [-1, 1]}):
 * <pre>
 *   W = lambda x_{a} A(g_a)                         (A: n_a x m_a, applied along axis a)
 *   W[.., i, ..] *= q_i(g_q) * tv                   (only on the quadrature axis q)
 * </pre>
 * with {@link InterpolationMatrix} {@code A}, quadrature weights {@code q} and the train volume
 * {@code tv = 0.5 (n_q - 1)} fixed by the full size (docs/ARCHITECTURE.md, "Reference conventions"). For a dense weight this
 * is {@code W = A_out lambda (A_in diag(q tv))^T}.
 *
 * <p>This class is immutable and holds no {@code lambda}: it is passed to every call, so layers
 * can keep it in their parameter arrays. Methods never modify their arguments.
 */
public final class WeightFunction {

    private final String name;
    private final long[] weightShape;
    private final int[] continuousAxes;
    private final int[] lambdaSizes;
    private final Quadrature quadrature;
    private final int quadratureAxis;
    private final double trainVolume;
    /**
     * A one-entry cache per continuous axis (both the grid and the matrix are immutable; a race
     * only costs a rebuild). Not part of the function's value.
     */
    private final LastMatrix[] lastMatrices;

    private WeightFunction(Builder b) {
        this.name = b.name;
        this.weightShape = b.weightShape;
        this.continuousAxes = b.continuousAxes;
        this.lambdaSizes = b.lambdaSizes;
        this.quadrature = b.quadrature;
        this.quadratureAxis = b.quadratureAxis;
        this.trainVolume = quadrature == null ? 1.0 : ReferenceConventions.trainVolume(weightShape[quadratureAxis]);
        this.lastMatrices = new LastMatrix[continuousAxes.length];
    }

    /**
     * Starts a builder.
     *
     * @param weightShape the full discrete shape in canonical layout, e.g. {@code (out, in, kH, kW)}
     * @return the builder
     */
    public static Builder builder(long... weightShape) {
        return new Builder(weightShape);
    }

    /** Builds a {@link WeightFunction}; {@link #continuousAxes(int...)} is required. */
    public static final class Builder {
        private String name = "weight";
        private final long[] weightShape;
        private int[] continuousAxes;
        private int[] lambdaSizes;
        private Quadrature quadrature;
        private int quadratureAxis = -1;

        private Builder(long[] weightShape) {
            Checks.requireNonNull("WeightFunction", "weightShape", weightShape);
            Checks.requireAtLeast("WeightFunction", "rank of the weight", weightShape.length, 1, "");
            for (long d : weightShape) {
                Checks.require(d >= 1, "WeightFunction", "every dimension must be at least 1, got shape %s.",
                        Arrays.toString(weightShape));
            }
            this.weightShape = weightShape.clone();
        }

        /**
         * Name used in error messages, e.g. {@code "conv_2.weight"}.
         *
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Checks.requireNonNull("WeightFunction", "name", name);
            return this;
        }

        /**
         * The continuous axes (required): one or two distinct axes, each of full size at least
         * {@link Grid1D#MIN_SIZE}.
         *
         * @param axes axis indices
         * @return this builder
         */
        public Builder continuousAxes(int... axes) {
            this.continuousAxes = Checks.requireNonNull(name, "continuousAxes", axes).clone();
            return this;
        }

        /**
         * Knot counts of lambda, one per continuous axis (TorchIntegral's {@code scale}); default:
         * the full sizes.
         *
         * @param sizes knot counts, each at least 1
         * @return this builder
         */
        public Builder lambdaSizes(int... sizes) {
            this.lambdaSizes = Checks.requireNonNull(name, "lambdaSizes", sizes).clone();
            return this;
        }

        /**
         * Multiplies the sampled weight by the weights of {@code rule} along {@code axis}, which
         * must be continuous.
         *
         * @param rule the quadrature
         * @param axis the integration axis (usually the input axis 1)
         * @return this builder
         */
        public Builder quadrature(Quadrature rule, int axis) {
            this.quadrature = Checks.requireNonNull(name, "quadrature", rule);
            this.quadratureAxis = axis;
            return this;
        }

        /**
         * Applies TorchIntegral's rule ({@link ReferenceConventions#quadratureAxis}): quadrature on
         * the input axis when it is continuous and has at least four channels, never on a bias.
         *
         * @param rule   the quadrature
         * @param isBias whether the parameter is a bias
         * @return this builder
         */
        public Builder referenceQuadrature(Quadrature rule, boolean isBias) {
            Checks.require(continuousAxes != null, name, "set continuousAxes before referenceQuadrature.");
            int axis = ReferenceConventions.quadratureAxis(isBias, weightShape, continuousAxes);
            if (axis >= 0) {
                return quadrature(rule, axis);
            }
            this.quadrature = null;
            this.quadratureAxis = -1;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the weight function
         */
        public WeightFunction build() {
            Checks.require(continuousAxes != null, name, "continuousAxes is required (e.g. continuousAxes(0, 1)).");
            Checks.require(continuousAxes.length == 1 || continuousAxes.length == 2, name,
                    "expected 1 or 2 continuous axes, got %d: %s.", continuousAxes.length,
                    Arrays.toString(continuousAxes));
            Arrays.sort(continuousAxes);
            for (int i = 0; i < continuousAxes.length; i++) {
                int axis = Checks.requireIndex(name, "continuous axis", continuousAxes[i], weightShape.length);
                Checks.require(i == 0 || continuousAxes[i] != continuousAxes[i - 1], name,
                        "continuous axes must be distinct, got %s.", Arrays.toString(continuousAxes));
                Checks.require(weightShape[axis] >= Grid1D.MIN_SIZE, name,
                        "continuous axis %d has size %d; a continuous axis needs at least %d channels. "
                                + "Keep that axis discrete.", axis, weightShape[axis], Grid1D.MIN_SIZE);
            }
            if (lambdaSizes == null) {
                lambdaSizes = new int[continuousAxes.length];
                for (int i = 0; i < continuousAxes.length; i++) {
                    lambdaSizes[i] = Math.toIntExact(weightShape[continuousAxes[i]]);
                }
            }
            Checks.require(lambdaSizes.length == continuousAxes.length, name,
                    "expected one lambda size per continuous axis (%d), got %d.", continuousAxes.length,
                    lambdaSizes.length);
            for (int size : lambdaSizes) {
                Checks.requireAtLeast(name, "lambda size", size, 1, "");
            }
            if (quadrature != null) {
                boolean continuous = false;
                for (int axis : continuousAxes) {
                    continuous |= axis == quadratureAxis;
                }
                Checks.require(continuous, name, "the quadrature axis %d must be one of the continuous axes %s.",
                        quadratureAxis, Arrays.toString(continuousAxes));
            }
            return new WeightFunction(this);
        }
    }

    /**
     * Name used in messages.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The full discrete shape.
     *
     * @return a copy
     */
    public long[] weightShape() {
        return weightShape.clone();
    }

    /**
     * The continuous axes, increasing.
     *
     * @return a copy
     */
    public int[] continuousAxes() {
        return continuousAxes.clone();
    }

    /**
     * The shape of lambda: the weight shape with each continuous axis replaced by its knot count.
     *
     * @return a new shape
     */
    public long[] lambdaShape() {
        long[] shape = weightShape.clone();
        for (int i = 0; i < continuousAxes.length; i++) {
            shape[continuousAxes[i]] = lambdaSizes[i];
        }
        return shape;
    }

    /**
     * The quadrature, or null for none.
     *
     * @return the rule
     */
    public Quadrature quadrature() {
        return quadrature;
    }

    /**
     * The axis multiplied by quadrature weights, or -1.
     *
     * @return the axis
     */
    public int quadratureAxis() {
        return quadratureAxis;
    }

    /**
     * The train volume {@code tv = 0.5 (n_q - 1)} (1 without quadrature).
     *
     * @return tv
     */
    public double trainVolume() {
        return trainVolume;
    }

    /**
     * The shape of a weight sampled on the given grids.
     *
     * @param grids one grid per continuous axis
     * @return the weight shape with each continuous axis of its grid's size
     */
    public long[] sampledShape(Grid1D... grids) {
        requireGrids(grids);
        long[] shape = weightShape.clone();
        for (int i = 0; i < continuousAxes.length; i++) {
            shape[continuousAxes[i]] = grids[i].size();
        }
        return shape;
    }

    /**
     * The factors {@code q_i(g) * tv} that multiply the quadrature axis on grid {@code g}.
     *
     * @param grid the grid of the quadrature axis
     * @return one factor per point
     * @throws IllegalStateException when this function has no quadrature
     */
    public double[] quadratureFactors(Grid1D grid) {
        if (quadrature == null) {
            throw new IllegalStateException(name + ": has no quadrature.");
        }
        double[] q = quadrature.weights(grid);
        for (int i = 0; i < q.length; i++) {
            q[i] *= trainVolume;
        }
        return q;
    }

    /**
     * Interpolates lambda at arbitrary points, without quadrature weights: the raw cubic
     * convolution of PyTorch's {@code grid_sample} (border padding, points outside
     * {@code [-1, 1]} allowed).
     *
     * @param lambda knot values, shape {@link #lambdaShape()} (not modified)
     * @param points one array of finite points per continuous axis (not modified)
     * @return a new array with each continuous axis of its point count, lambda's data type
     */
    public INDArray interpolate(INDArray lambda, double[]... points) {
        requireLambda(lambda);
        Checks.require(points != null && points.length == continuousAxes.length, name,
                "expected %d point arrays, one per continuous axis.", continuousAxes.length);
        double[] values = lambdaValues(lambda);
        long[] shape = lambdaShape();
        for (int i = 0; i < continuousAxes.length; i++) {
            InterpolationMatrix a = InterpolationMatrix.build(points[i], lambdaSizes[i]);
            values = applyAlong(a, values, shape, continuousAxes[i], null, false);
            shape[continuousAxes[i]] = points[i].length;
        }
        return Arrays2.fromDoubles(values, shape, lambda.dataType());
    }

    /**
     * Samples the weight on the given grids: interpolation along every continuous axis and
     * quadrature factors along the quadrature axis.
     *
     * @param lambda knot values, shape {@link #lambdaShape()}, finite (not modified)
     * @param grids  one grid per continuous axis, in axis order
     * @return a new weight of shape {@link #sampledShape(Grid1D...)}, lambda's data type
     */
    public INDArray sample(INDArray lambda, Grid1D... grids) {
        requireGrids(grids);
        requireLambda(lambda);
        InterpolationMatrix[] a = matrices(grids);
        boolean identity = allIdentity(a);
        if (identity) {
            return scaledCopy(lambda, grids);
        }
        if (DirectAccess.isDirect(lambda)) {
            INDArray out = Nd4j.createUninitialized(lambda.dataType(), sampledShape(grids), 'c');
            sampleDirect(lambda, out, a, grids);
            return out;
        }
        double[] values = lambdaValues(lambda);
        long[] shape = lambdaShape();
        for (int i = 0; i < continuousAxes.length; i++) {
            int axis = continuousAxes[i];
            double[] scale = axis == quadratureAxis ? quadratureFactors(grids[i]) : null;
            values = applyAlong(a[i], values, shape, axis, scale, false);
            shape[axis] = grids[i].size();
        }
        return Arrays2.fromDoubles(values, shape, lambda.dataType());
    }

    /** The full-size path: every matrix is the identity, so W = lambda * (q tv) along one axis. */
    private INDArray scaledCopy(INDArray lambda, Grid1D[] grids) {
        return scaledInto(lambda, Nd4j.createUninitialized(lambda.dataType(), lambda.shape(), 'c'), grids);
    }

    /** {@code out = lambda * (q tv)} along the quadrature axis ({@code out} may be a copy of lambda). */
    private INDArray scaledInto(INDArray lambda, INDArray out, Grid1D[] grids) {
        requireFiniteFast(lambda);
        if (out != lambda) {
            out.assign(lambda);
        }
        if (quadrature != null) {
            int i = indexOfContinuous(quadratureAxis);
            INDArray factors = Nd4j.createFromArray(quadratureFactors(grids[i])).castTo(out.dataType());
            Nd4j.getExecutioner().exec(new BroadcastMulOp(out, factors, out, quadratureAxis));
        }
        return out;
    }

    /**
     * {@link #sample} into a preallocated array, e.g. a layer's reusable buffer sized for the full
     * width and viewed at the current width. Nothing is allocated on the full-size path (one
     * broadcast multiply) nor, on the CPU backend, on the resampling path: the interpolation runs in
     * lambda's precision (float kernels for FLOAT, no detour through double) on per-thread work
     * arrays, reading lambda and writing {@code out} with one bulk copy each
     * ({@link InterpolationMatrix#applyInto(float[], float[], int, int, double[])}).
     *
     * @param lambda knot values, shape {@link #lambdaShape()}, finite (not modified)
     * @param out    receives the weight; shape {@link #sampledShape(Grid1D...)}, lambda's data type,
     *               'c' ordered (a contiguous view into a larger buffer is fine) (modified)
     * @param grids  one grid per continuous axis, in axis order
     * @return {@code out}
     */
    public INDArray sampleInto(INDArray lambda, INDArray out, Grid1D... grids) {
        requireGrids(grids);
        requireLambda(lambda);
        Checks.requireShape(name, "out", sampledShape(grids), out.shape(), "Allocate it with sampledShape(grids).");
        InterpolationMatrix[] a = matrices(grids);
        boolean identity = allIdentity(a);
        if (identity) {
            return scaledInto(lambda, out, grids);
        }
        if (DirectAccess.isDirect(lambda) && DirectAccess.isDirect(out) && out.dataType() == lambda.dataType()) {
            sampleDirect(lambda, out, a, grids);
            return out;
        }
        return out.assign(sample(lambda, grids));
    }

    /**
     * The resampling path of {@link #sampleInto} on directly accessible arrays of one type: interpolate
     * along each continuous axis in turn (scaling the quadrature axis) between per-thread work arrays.
     */
    private void sampleDirect(INDArray lambda, INDArray out, InterpolationMatrix[] a, Grid1D[] grids) {
        long[] shape = lambdaShape();
        int length = (int) lambda.length();
        try (KernelScratch scratch = KernelScratch.acquire()) {
            if (lambda.dataType() == DataType.FLOAT) {
                float[] values = scratch.floats(0, length);
                DirectAccess.read(lambda, values);
                Checks.requireFinite(name, "lambda", values, length);
                for (int i = 0; i < continuousAxes.length; i++) {
                    int axis = continuousAxes[i];
                    int outer = (int) Arrays2.product(shape, 0, axis);
                    int inner = (int) Arrays2.product(shape, axis + 1, shape.length);
                    shape[axis] = grids[i].size();
                    float[] next = scratch.floats(1 + i % 2, Arrays2.product(shape, 0, shape.length));
                    a[i].applyInto(values, next, outer, inner, axis == quadratureAxis ? quadratureFactors(grids[i]) : null);
                    values = next;
                }
                DirectAccess.write(values, out);
            } else {
                double[] values = scratch.doubles(0, length);
                DirectAccess.read(lambda, values);
                Checks.requireFinite(name, "lambda", values, length);
                for (int i = 0; i < continuousAxes.length; i++) {
                    int axis = continuousAxes[i];
                    int outer = (int) Arrays2.product(shape, 0, axis);
                    int inner = (int) Arrays2.product(shape, axis + 1, shape.length);
                    shape[axis] = grids[i].size();
                    double[] next = scratch.doubles(1 + i % 2, Arrays2.product(shape, 0, shape.length));
                    a[i].applyInto(values, next, outer, inner, axis == quadratureAxis ? quadratureFactors(grids[i]) : null);
                    values = next;
                }
                DirectAccess.write(values, out);
            }
        }
    }

    /**
     * The transposed interpolation of {@code dL/dW} into {@code out} on directly accessible arrays of
     * one type: {@code A_a^T} along each continuous axis, last axis first, with the quadrature
     * factors on the quadrature axis.
     */
    private void gradientDirect(INDArray dWeight, INDArray out, InterpolationMatrix[] a, Grid1D[] grids) {
        long[] shape = sampledShape(grids);
        int length = (int) dWeight.length();
        int last = continuousAxes.length - 1;
        try (KernelScratch scratch = KernelScratch.acquire()) {
            if (dWeight.dataType() == DataType.FLOAT) {
                float[] values = scratch.floats(0, length);
                DirectAccess.read(dWeight, values);
                for (int i = last; i >= 0; i--) {
                    int axis = continuousAxes[i];
                    int outer = (int) Arrays2.product(shape, 0, axis);
                    int inner = (int) Arrays2.product(shape, axis + 1, shape.length);
                    shape[axis] = lambdaSizes[i];
                    float[] next = scratch.floats(1 + (last - i) % 2, Arrays2.product(shape, 0, shape.length));
                    a[i].applyTransposedInto(values, next, outer, inner,
                            axis == quadratureAxis ? quadratureFactors(grids[i]) : null);
                    values = next;
                }
                DirectAccess.write(values, out);
            } else {
                double[] values = scratch.doubles(0, length);
                DirectAccess.read(dWeight, values);
                for (int i = last; i >= 0; i--) {
                    int axis = continuousAxes[i];
                    int outer = (int) Arrays2.product(shape, 0, axis);
                    int inner = (int) Arrays2.product(shape, axis + 1, shape.length);
                    shape[axis] = lambdaSizes[i];
                    double[] next = scratch.doubles(1 + (last - i) % 2, Arrays2.product(shape, 0, shape.length));
                    a[i].applyTransposedInto(values, next, outer, inner,
                            axis == quadratureAxis ? quadratureFactors(grids[i]) : null);
                    values = next;
                }
                DirectAccess.write(values, out);
            }
        }
    }

    private static boolean direct(INDArray dWeight, INDArray out) {
        return DirectAccess.isDirect(dWeight) && DirectAccess.isDirect(out) && dWeight.dataType() == out.dataType();
    }

    /**
     * The gradient with respect to lambda only (no grid gradients), written into a preallocated
     * array such as a layer's gradient view. On the full-size path this is one broadcast multiply,
     * {@code dL/d lambda = dL/dW * (q tv)}; otherwise, on the CPU backend, the transposed
     * interpolation runs in place in the arrays' precision
     * ({@link InterpolationMatrix#applyTransposedInto(float[], float[], int, int, double[])}).
     *
     * @param lambda  knot values, shape {@link #lambdaShape()} (not modified)
     * @param dWeight {@code dL/dW}, shape {@link #sampledShape(Grid1D...)} (not modified)
     * @param out     receives {@code dL/d lambda}, shape {@link #lambdaShape()} (modified)
     * @param grids   the grids used in the forward pass
     * @return {@code out}
     */
    public INDArray lambdaGradientInto(INDArray lambda, INDArray dWeight, INDArray out, Grid1D... grids) {
        requireGrids(grids);
        requireLambda(lambda);
        Checks.requireShape(name, "out", lambdaShape(), out.shape(), "Pass an array of lambda's shape.");
        InterpolationMatrix[] a = matrices(grids);
        boolean identity = allIdentity(a);
        Checks.requireShape(name, "dL/dW", sampledShape(grids), dWeight.shape(), "It must match the sampled weight.");
        if (!identity) {
            if (direct(dWeight, out)) {
                gradientDirect(dWeight, out, a, grids);
                return out;
            }
            return out.assign(backward(lambda, dWeight, false, grids).lambda());
        }
        if (quadrature == null) {
            return out.assign(dWeight);
        }
        int i = indexOfContinuous(quadratureAxis);
        INDArray factors = Nd4j.createFromArray(quadratureFactors(grids[i])).castTo(out.dataType());
        Nd4j.getExecutioner().exec(new BroadcastMulOp(dWeight.castTo(out.dataType()), factors, out, quadratureAxis));
        return out;
    }

    /**
     * The right inverse of {@link #sample}: knot values {@code lambda} such that
     * {@code sample(rightInverse(W, grids), grids) == W} (PyTorch's parametrisation contract).
     * With the default knot counts and uniform grids this is TorchIntegral's
     * {@code right_inverse}: {@code lambda = W / (q tv)}. With other knot counts or grids it solves
     * along each continuous axis with the pseudo-inverse of the interpolation matrix: exact when
     * {@code m >= n} (minimum-norm lambda), least squares when {@code m < n}. (TorchIntegral
     * instead resizes {@code W / (q tv)} by bicubic interpolation, which does not reproduce W.)
     *
     * @param weight the discrete weight, shape {@link #weightShape()}, finite (not modified)
     * @param grids  the grids of the full-size weight, one per continuous axis
     * @return new knot values of shape {@link #lambdaShape()}, the weight's data type
     */
    public INDArray rightInverse(INDArray weight, Grid1D... grids) {
        requireGrids(grids);
        Checks.requireNonNull(name, "weight", weight);
        Checks.requireShape(name, "weight", weightShape, weight.shape(),
                "Pass the full-size discrete weight in canonical layout (out, in, ...).");
        for (int i = 0; i < continuousAxes.length; i++) {
            Checks.require(grids[i].size() == weightShape[continuousAxes[i]], name,
                    "the grid of axis %d has %d points but the weight has %d channels there; "
                            + "pass the full-size grids.", continuousAxes[i], grids[i].size(),
                    weightShape[continuousAxes[i]]);
        }
        if (allIdentity(matrices(grids))) {
            return scaledInverse(weight, grids);
        }
        double[] values = Arrays2.toDoubles(weight);
        Checks.requireFinite(name, "weight", values);
        long[] shape = weightShape.clone();
        for (int i = 0; i < continuousAxes.length; i++) {
            int axis = continuousAxes[i];
            if (axis == quadratureAxis) {
                double[] factors = quadratureFactors(grids[i]);
                double[] inverse = new double[factors.length];
                for (int k = 0; k < factors.length; k++) {
                    Checks.require(factors[k] != 0.0, name, "quadrature %s gives weight 0 to point %d of %s, so "
                                    + "the weight cannot be recovered there; use the trapezoidal rule.",
                            quadrature.name(), k, grids[i]);
                    inverse[k] = 1.0 / factors[k];
                }
                values = scaleAlong(values, shape, axis, inverse);
            }
            InterpolationMatrix a = InterpolationMatrix.build(grids[i].points(), lambdaSizes[i]);
            if (!a.isIdentity()) {
                values = denseAlong(PseudoInverse.of(a.toArray(false)), values, shape, axis);
            }
            shape[axis] = lambdaSizes[i];
        }
        return Arrays2.fromDoubles(values, shape, weight.dataType());
    }

    /**
     * The right inverse when every interpolation matrix is the identity (the conversion's case: knots
     * at the full size, uniform grids): {@code lambda = W / (q tv)} along the quadrature axis, one
     * native broadcast division in the weight's type (the general path multiplies by 1 / (q tv) in double; the
     * two agree to rounding).
     */
    private INDArray scaledInverse(INDArray weight, Grid1D[] grids) {
        INDArray out = Nd4j.createUninitialized(weight.dataType(), weightShape, 'c');
        out.assign(weight);
        if (!Double.isFinite(out.sumNumber().doubleValue())) {
            // Locate the offending value (the sum may also overflow with finite values).
            Checks.requireFinite(name, "weight", Arrays2.toDoubles(weight));
        }
        if (quadrature != null) {
            int i = indexOfContinuous(quadratureAxis);
            double[] factors = quadratureFactors(grids[i]);
            for (int k = 0; k < factors.length; k++) {
                Checks.require(factors[k] != 0.0, name, "quadrature %s gives weight 0 to point %d of %s, so "
                                + "the weight cannot be recovered there; use the trapezoidal rule.",
                        quadrature.name(), k, grids[i]);
            }
            INDArray f = Nd4j.createFromArray(factors).castTo(out.dataType());
            Nd4j.getExecutioner().exec(new BroadcastDivOp(out, f, out, quadratureAxis));
        }
        return out;
    }

    /**
     * The right inverse on uniform full-size grids.
     *
     * @param weight the discrete weight, shape {@link #weightShape()} (not modified)
     * @return knot values of shape {@link #lambdaShape()}
     */
    public INDArray rightInverse(INDArray weight) {
        Grid1D[] grids = new Grid1D[continuousAxes.length];
        for (int i = 0; i < grids.length; i++) {
            grids[i] = Grid1D.uniform(Math.toIntExact(weightShape[continuousAxes[i]]));
        }
        return rightInverse(weight, grids);
    }

    /**
     * The backward pass of {@link #sample}: given {@code dL/dW}, returns {@code dL/d lambda} (the
     * transposed interpolation, {@code A_out^T dW (A_in diag(q tv))} for a dense weight) and,
     * when {@code gridGradients} is true, {@code dL/dx} for every grid point (through the
     * interpolation matrices and through the quadrature weights; the quadrature must then be a
     * {@link DifferentiableQuadrature}).
     *
     * @param lambda        knot values, shape {@link #lambdaShape()} (not modified)
     * @param dWeight       {@code dL/dW}, shape {@link #sampledShape(Grid1D...)} (not modified)
     * @param gridGradients whether to compute grid gradients
     * @param grids         the grids used in the forward pass
     * @return the gradients; {@code lambda()} has lambda's data type
     */
    public WeightGradients backward(INDArray lambda, INDArray dWeight, boolean gridGradients, Grid1D... grids) {
        requireGrids(grids);
        requireLambda(lambda);
        Checks.requireNonNull(name, "dWeight", dWeight);
        long[] sampled = sampledShape(grids);
        Checks.requireShape(name, "dL/dW", sampled, dWeight.shape(), "It must match the sampled weight.");
        if (gridGradients && quadrature != null && !(quadrature instanceof DifferentiableQuadrature)) {
            throw new IllegalArgumentException(name + ": the " + quadrature.name() + " quadrature has no derivative "
                    + "with respect to the grid points, so its grid cannot be trained. Use the trapezoidal or a "
                    + "rectangle rule with trainable grids.");
        }
        InterpolationMatrix[] a = matrices(grids);
        if (!gridGradients && DirectAccess.isDirect(dWeight) && dWeight.dataType() == lambda.dataType()) {
            INDArray dLambda = Nd4j.createUninitialized(lambda.dataType(), lambdaShape(), 'c');
            gradientDirect(dWeight, dLambda, a, grids);
            return new WeightGradients(dLambda, null);
        }
        double[][] factors = new double[continuousAxes.length][];
        for (int i = 0; i < continuousAxes.length; i++) {
            factors[i] = continuousAxes[i] == quadratureAxis ? quadratureFactors(grids[i]) : null;
        }
        double[] upstream = Arrays2.toDoubles(dWeight);
        double[] values = upstream;
        long[] shape = sampled.clone();
        for (int i = continuousAxes.length - 1; i >= 0; i--) {
            int axis = continuousAxes[i];
            int outer = (int) Arrays2.product(shape, 0, axis);
            int inner = (int) Arrays2.product(shape, axis + 1, shape.length);
            values = a[i].applyTransposed(values, outer, inner, factors[i]);
            shape[axis] = lambdaSizes[i];
        }
        INDArray dLambda = Arrays2.fromDoubles(values, shape, lambda.dataType());
        if (!gridGradients) {
            return new WeightGradients(dLambda, null);
        }
        double[] lambdaValues = lambdaValues(lambda);
        double[][] dGrid = new double[continuousAxes.length][];
        for (int i = 0; i < continuousAxes.length; i++) {
            dGrid[i] = gridGradient(i, a, factors, lambdaValues, upstream, grids);
        }
        return new WeightGradients(dLambda, dGrid);
    }

    /** dL/dx for the grid of continuous axis {@code c}. */
    private double[] gridGradient(int c, InterpolationMatrix[] a, double[][] factors, double[] lambdaValues,
                                  double[] upstream, Grid1D[] grids) {
        int axis = continuousAxes[c];
        // Y: lambda with every other continuous axis sampled (and scaled); axis c still has m knots.
        double[] y = lambdaValues;
        long[] shape = lambdaShape();
        for (int i = 0; i < continuousAxes.length; i++) {
            if (i != c) {
                y = applyAlong(a[i], y, shape, continuousAxes[i], factors[i], false);
                shape[continuousAxes[i]] = grids[i].size();
            }
        }
        int outer = (int) Arrays2.product(shape, 0, axis);
        int inner = (int) Arrays2.product(shape, axis + 1, shape.length);
        int n = grids[c].size();
        double[] slope = a[c].apply(y, outer, inner, null, true);
        double[] dx = reduceAlong(upstream, slope, outer, n, inner);
        if (factors[c] != null) {
            for (int k = 0; k < n; k++) {
                dx[k] *= factors[c][k];
            }
            double[] unscaled = a[c].apply(y, outer, inner, null, false);
            double[] dq = reduceAlong(upstream, unscaled, outer, n, inner);
            for (int k = 0; k < n; k++) {
                dq[k] *= trainVolume;
            }
            double[] viaWeights = ((DifferentiableQuadrature) quadrature).weightsVjp(grids[c], dq);
            for (int k = 0; k < n; k++) {
                dx[k] += viaWeights[k];
            }
        }
        return dx;
    }

    /** r[i] = sum over (o, s) of u[o, i, s] * v[o, i, s]. */
    private static double[] reduceAlong(double[] u, double[] v, int outer, int n, int inner) {
        double[] r = new double[n];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < n; i++) {
                int base = (o * n + i) * inner;
                double s = 0;
                for (int k = 0; k < inner; k++) {
                    s += u[base + k] * v[base + k];
                }
                r[i] += s;
            }
        }
        return r;
    }

    private static double[] applyAlong(InterpolationMatrix a, double[] values, long[] shape, int axis,
                                       double[] rowScale, boolean derivative) {
        int outer = (int) Arrays2.product(shape, 0, axis);
        int inner = (int) Arrays2.product(shape, axis + 1, shape.length);
        return a.apply(values, outer, inner, rowScale, derivative);
    }

    private static double[] scaleAlong(double[] values, long[] shape, int axis, double[] factors) {
        long inner = Arrays2.product(shape, axis + 1, shape.length);
        int n = (int) shape[axis];
        double[] out = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            out[k] = values[k] * factors[(int) ((k / inner) % n)];
        }
        return out;
    }

    /** out[o, j, s] = sum_i p[j][i] values[o, i, s], computed with ND4J's GEMM. */
    private static double[] denseAlong(double[][] p, double[] values, long[] shape, int axis) {
        long outer = Arrays2.product(shape, 0, axis);
        long inner = Arrays2.product(shape, axis + 1, shape.length);
        long n = shape[axis];
        INDArray x = Nd4j.create(values, new long[] {outer, n, inner}, 'c');
        INDArray pm = Nd4j.createFromArray(p);
        // (m, n) x (outer, n, inner) over n -> (m, outer, inner) -> (outer, m, inner)
        INDArray y = Nd4j.tensorMmul(pm, x, new int[][] {{1}, {1}}).permute(1, 0, 2).dup('c');
        return y.data().asDouble();
    }

    private InterpolationMatrix[] matrices(Grid1D[] grids) {
        InterpolationMatrix[] a = new InterpolationMatrix[grids.length];
        for (int i = 0; i < grids.length; i++) {
            // Layers sample with the same grid object until it is redrawn or resized: reuse its matrix.
            LastMatrix last = lastMatrices[i];
            if (last != null && last.grid == grids[i]) {
                a[i] = last.matrix;
            } else {
                a[i] = InterpolationMatrix.build(grids[i].points(), lambdaSizes[i]);
                lastMatrices[i] = new LastMatrix(grids[i], a[i]);
            }
        }
        return a;
    }

    /** The interpolation matrix built last for a continuous axis, and the grid it was built from. */
    private record LastMatrix(Grid1D grid, InterpolationMatrix matrix) {
    }

    private static boolean allIdentity(InterpolationMatrix[] a) {
        for (InterpolationMatrix m : a) {
            if (!m.isIdentity()) {
                return false;
            }
        }
        return true;
    }

    private int indexOfContinuous(int axis) {
        for (int i = 0; i < continuousAxes.length; i++) {
            if (continuousAxes[i] == axis) {
                return i;
            }
        }
        throw new AssertionError(axis);
    }

    private void requireGrids(Grid1D[] grids) {
        Checks.require(grids != null && grids.length == continuousAxes.length, name,
                "expected %d grid(s), one per continuous axis %s, got %d.", continuousAxes.length,
                Arrays.toString(continuousAxes), grids == null ? 0 : grids.length);
        for (int i = 0; i < grids.length; i++) {
            Checks.requireNonNull(name, "grid of axis " + continuousAxes[i], grids[i]);
        }
    }

    private void requireLambda(INDArray lambda) {
        Checks.requireNonNull(name, "lambda", lambda);
        Checks.requireShape(name, "lambda", lambdaShape(), lambda.shape(),
                "lambda has the weight's layout with each continuous axis of its knot count.");
        Checks.require(lambda.dataType().isFPType(), name, "lambda must be floating point, got %s.",
                lambda.dataType());
    }

    private double[] lambdaValues(INDArray lambda) {
        double[] values = Arrays2.toDoubles(lambda);
        Checks.requireFinite(name, "lambda", values);
        return values;
    }

    private void requireFiniteFast(INDArray lambda) {
        if (!Double.isFinite(lambda.sumNumber().doubleValue())) {
            // Locate the offending value (the sum may also overflow with finite values).
            lambdaValues(lambda);
        }
    }

    @Override
    public String toString() {
        return "WeightFunction[" + name + ", weight " + Arrays.toString(weightShape) + ", continuous "
                + Arrays.toString(continuousAxes) + ", lambda " + Arrays.toString(lambdaShape()) + ", quadrature "
                + (quadrature == null ? "none" : quadrature.name() + " on axis " + quadratureAxis + ", tv "
                + trainVolume) + "]";
    }
}
