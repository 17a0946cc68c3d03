package org.integral4j.convert.calibration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.integral4j.convert.network.Dl4jNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch-norm re-estimation, affine correction of folded batch norms and least-squares
 * reconstruction of a resized plain network against the full network (see
 * {@link CalibrationOptions} and {@link CalibrationSubject} for the formulas). Layers are visited
 * in network order; each sees the inputs produced by the already calibrated layers before it.
 * Computations are in double precision.
 */
final class Calibrator {

    private static final Logger LOG = LoggerFactory.getLogger(Calibrator.class);

    private final CalibrationSubject subject;
    private final CalibrationOptions options;
    private final Dl4jNetwork reduced;
    private final List<INDArray> chunks = new ArrayList<>();
    private final long examples;
    private final List<LayerReport> reports = new ArrayList<>();

    private Calibrator(CalibrationSubject subject, INDArray inputs, CalibrationOptions options) {
        this.subject = subject;
        this.options = options;
        this.reduced = subject.reduced().copy();
        this.examples = inputs.size(0);
        for (long i = 0; i < examples; i += options.chunkSize()) {
            long to = Math.min(examples, i + options.chunkSize());
            INDArrayIndexHelper.rows(inputs, i, to, chunks);
        }
    }

    /** Splits rows without relying on a particular rank. */
    private static final class INDArrayIndexHelper {
        static void rows(INDArray x, long from, long to, List<INDArray> out) {
            INDArrayIndex[] ix = new INDArrayIndex[x.rank()];
            ix[0] = NDArrayIndex.interval(from, to);
            for (int d = 1; d < x.rank(); d++) {
                ix[d] = NDArrayIndex.all();
            }
            out.add(x.get(ix).dup());
        }
    }

    /**
     * Calibrates a copy of the subject's resized network.
     *
     * @param subject the networks and maps (not modified)
     * @param inputs  validated calibration inputs
     * @param options the options
     * @return the calibrated copy and the per-layer reports
     */
    static Result run(CalibrationSubject subject, INDArray inputs, CalibrationOptions options) {
        Calibrator c = new Calibrator(subject, inputs, options);
        if (subject.isFullSize()) {
            LOG.info("calibration: every group is at full size with the identity map; nothing to calibrate");
            return new Result(c.reduced, c.reports);
        }
        List<Step> plan = c.plan();
        long t0 = System.nanoTime();
        c.prepareTargets(plan);
        LOG.debug("calibration: targets of {} step(s) from one forward pass of the full network per chunk in {} s",
                plan.size(), (System.nanoTime() - t0) / 1e9);
        for (Step step : plan) {
            if (step.link().kind() == LayerLink.Kind.BATCH_NORM) {
                c.batchNorm(step.link());
            } else {
                c.fit(step.link(), step.leastSquares());
            }
            c.targets.remove(step.link().id());
        }
        return new Result(c.reduced, c.reports);
    }

    /**
     * One layer to calibrate.
     *
     * @param link         the layer
     * @param index        its position in {@link CalibrationSubject#layers()} (1-based), for its random stream
     * @param leastSquares for a convolution or dense layer: least squares (else affine correction)
     */
    private record Step(LayerLink link, int index, boolean leastSquares) {
    }

    /** The layers to calibrate, in network order, and what to do with each. */
    private List<Step> plan() {
        List<Step> plan = new ArrayList<>();
        int index = 0;
        for (LayerLink l : subject.layers()) {
            index++;
            switch (l.kind()) {
                case BATCH_NORM:
                    if (options.batchNorm()) {
                        plan.add(new Step(l, index, false));
                    }
                    break;
                case CONV2D:
                case DENSE: {
                    boolean first = readsNetworkInput(reduced, l.id());
                    boolean ls = options.reconstruction() && !first;
                    boolean affine = !ls && !first && options.batchNorm() && l.foldedBatchNorm()
                            && reduced.layer(l.id()).paramTable().containsKey("b");
                    if (ls || affine) {
                        plan.add(new Step(l, index, ls));
                    }
                    break;
                }
                default:
                    break;
            }
        }
        return plan;
    }

    /**
     * What the full network gives one step, per chunk of inputs: for a batch norm the sums of its
     * mapped output per channel; for a convolution or dense layer the sampled positions and the
     * mapped pre-activations {@code y = T z_full} at them ({@code (rows, n)} double).
     */
    private static final class Targets {
        final List<Patches.Positions> positions = new ArrayList<>();
        final List<INDArray> y = new ArrayList<>();
        double[] st;
        double[] stt;
    }

    /** Per layer id, its targets (removed once the layer is calibrated). */
    private final Map<String, Targets> targets = new LinkedHashMap<>();

    /**
     * Computes every step's targets with one forward pass of the full network per chunk (the full
     * network never changes, so its activations are needed once, not once per layer). The random
     * positions of each layer come from that layer's own stream, chunk after chunk.
     */
    private void prepareTargets(List<Step> plan) {
        Map<String, Random> streams = new LinkedHashMap<>();
        for (Step step : plan) {
            targets.put(step.link().id(), new Targets());
            streams.put(step.link().id(), new Random(options.seed() * 1_000_003L + step.index()));
        }
        int perImage = (int) Math.max(1, (options.maxRowsPerLayer() + examples - 1) / examples);
        for (INDArray x : chunks) {
            Map<String, INDArray> acts = subject.full().activations(x);
            for (Step step : plan) {
                LayerLink l = step.link();
                Targets t = targets.get(l.id());
                if (l.kind() == LayerLink.Kind.BATCH_NORM) {
                    BatchNormalization conf = (BatchNormalization) reduced.layer(l.id()).conf().getLayer();
                    INDArray rowsFull = channelRows(acts.get(l.id()).castTo(DataType.DOUBLE), conf);
                    int nOut = (int) reduced.layer(l.id()).getParam("gamma").length();
                    INDArray tT = targetMapTransposed(l.outGroup(), nOut, (int) rowsFull.size(1));
                    INDArray target = tT == null ? rowsFull : rowsFull.mmul(tT);
                    if (t.st == null) {
                        t.st = new double[nOut];
                        t.stt = new double[nOut];
                    }
                    add(t.st, target.sum(0).toDoubleVector());
                    add(t.stt, target.mul(target).sum(0).toDoubleVector());
                } else {
                    targetRows(l, subject.full().layerInput(l.id(), acts), t, streams.get(l.id()), perImage);
                }
            }
        }
    }

    /** The mapped full pre-activations of a convolution or dense layer for one chunk, at sampled positions. */
    private void targetRows(LayerLink l, INDArray xf, Targets t, Random rng, int perImage) {
        Layer lf = subject.full().layer(l.id());
        boolean conv = l.kind() == LayerLink.Kind.CONV2D;
        INDArray wf = lf.getParam("W").castTo(DataType.DOUBLE);
        int nOutFull = (int) (conv ? wf.size(0) : wf.size(1));
        INDArray wfT = conv ? wf.reshape('c', nOutFull, wf.length() / nOutFull).transpose() : wf;
        INDArray bf = lf.paramTable().containsKey("b") ? lf.getParam("b").castTo(DataType.DOUBLE).reshape(1, nOutFull)
                : Nd4j.zeros(DataType.DOUBLE, 1, nOutFull);
        INDArray wr = reduced.layer(l.id()).getParam("W");
        int nOut = (int) (conv ? wr.size(0) : wr.size(1));
        INDArray tT = targetMapTransposed(l.outGroup(), nOut, nOutFull);
        INDArray pf;
        if (conv) {
            Patches.Geometry g = Patches.Geometry.of((ConvolutionLayer) lf.conf().getLayer());
            int h = (int) (g.nhwc() ? xf.size(1) : xf.size(2));
            int w = (int) (g.nhwc() ? xf.size(2) : xf.size(3));
            Patches.Positions pos = Patches.sample((int) xf.size(0), g.outH(h) * g.outW(w), perImage, rng);
            t.positions.add(pos);
            pf = Patches.conv(xf, g, pos);
        } else {
            pf = xf.castTo(DataType.DOUBLE).reshape(xf.size(0), xf.length() / xf.size(0));
        }
        INDArray zf = pf.mmul(wfT).addiRowVector(bf);
        t.y.add(tT == null ? zf : zf.mmul(tT));
    }

    private static void add(double[] into, double[] v) {
        for (int i = 0; i < v.length; i++) {
            into[i] += v[i];
        }
    }

    /** Whether a layer reads a network input directly (its input is the same at every width). */
    private static boolean readsNetworkInput(Dl4jNetwork net, String layer) {
        List<String> in = net.configuration().node(layer).inputs();
        return in.size() == 1 && net.inputNames().contains(in.get(0));
    }

    /** The calibrated network and what was done. */
    record Result(Dl4jNetwork network, List<LayerReport> reports) {
    }

    /**
     * Re-estimates a batch norm's running statistics at the new width so that each channel's
     * output has the target's mean and standard deviation: with the channel's input mean and
     * standard deviation {@code m, s} on the calibration inputs (resized network) and the target's
     * {@code mu*, sigma*} (the full network's batch-norm output mapped by {@code T}),
     * {@code y = gamma (x - mean) / sqrt(var + eps) + beta} gets
     * {@code sqrt(var + eps) = |gamma| s / sigma*} and {@code mean = m - (mu* - beta) sqrt(var + eps) / gamma}.
     * (With the identity map and a trained network this is the usual re-estimation: the input
     * statistics.) Channels with {@code gamma = 0} or a constant input keep the input statistics.
     */
    private void batchNorm(LayerLink l) {
        long t0 = System.nanoTime();
        Layer layer = reduced.layer(l.id());
        BatchNormalization conf = (BatchNormalization) layer.conf().getLayer();
        Targets t = targets.get(l.id());
        double[] st = t.st;
        double[] stt = t.stt;
        double[] sx = new double[st.length];
        double[] sxx = new double[st.length];
        long count = 0;
        for (INDArray x : chunks) {
            INDArray rowsIn = channelRows(reduced.layerInput(l.id(), x).castTo(DataType.DOUBLE), conf);
            add(sx, rowsIn.sum(0).toDoubleVector());
            add(sxx, rowsIn.mul(rowsIn).sum(0).toDoubleVector());
            count += rowsIn.size(0);
        }
        double eps = conf.getEps();
        double[] gamma = layer.getParam("gamma").castTo(DataType.DOUBLE).toDoubleVector();
        double[] beta = layer.getParam("beta").castTo(DataType.DOUBLE).toDoubleVector();
        double[] mean = new double[sx.length];
        double[] var = new double[sx.length];
        for (int c = 0; c < sx.length; c++) {
            double m = sx[c] / count;
            double v = Math.max(sxx[c] / count - m * m, 0);
            double mt = st[c] / count;
            double vt = Math.max(stt[c] / count - mt * mt, 0);
            if (Math.abs(gamma[c]) < 1e-12 || v < 1e-20 || vt < 1e-20) {
                mean[c] = m;
                var[c] = Math.max(v, 1e-12);
                continue;
            }
            double std = Math.abs(gamma[c]) * Math.sqrt(v / vt);
            var[c] = Math.max(std * std - eps, 1e-12);
            double used = Math.sqrt(var[c] + eps);
            mean[c] = m - (mt - beta[c]) * used / gamma[c];
        }
        setStatistics(layer, mean, var);
        reports.add(new LayerReport(l.id(), "batch-norm statistics", count, Double.NaN, Double.NaN,
                (System.nanoTime() - t0) / 1e9));
    }

    /** Writes a batch norm's running mean and variance (as {@code log10stdev} where the layer stores that). */
    private static void setStatistics(Layer layer, double[] mean, double[] var) {
        INDArray oldMean = layer.getParam("mean");
        layer.setParam("mean", Nd4j.createFromArray(mean).reshape(oldMean.shape()).castTo(oldMean.dataType()));
        if (layer.paramTable().containsKey("log10stdev")) {
            double[] log10std = new double[var.length];
            for (int c = 0; c < var.length; c++) {
                log10std[c] = 0.5 * Math.log10(var[c]);
            }
            INDArray old = layer.getParam("log10stdev");
            layer.setParam("log10stdev", Nd4j.createFromArray(log10std).reshape(old.shape()).castTo(old.dataType()));
        } else {
            INDArray old = layer.getParam("var");
            layer.setParam("var", Nd4j.createFromArray(var).reshape(old.shape()).castTo(old.dataType()));
        }
    }

    /** Activations as rows {@code (examples * positions, channels)}. */
    private static INDArray channelRows(INDArray a, BatchNormalization conf) {
        if (a.rank() == 2) {
            return a;
        }
        INDArray last = a.rank() == 4 && conf.getCnn2DFormat() == CNN2DFormat.NHWC ? a : a.rank() == 4
                ? a.permute(0, 2, 3, 1) : a.permute(0, 2, 1);
        long c = last.size(last.rank() - 1);
        return last.dup('c').reshape('c', last.length() / c, c);
    }

    /**
     * One layer's weights as the refit reads them, all in double.
     *
     * @param conv    whether the layer is a convolution (else dense)
     * @param g       the convolution's geometry (null for dense)
     * @param wr      the reduced layer's weight in DL4J's layout
     * @param wrT     the reduced weight as a {@code (d, nOut)} matrix (patch or input features by outputs)
     * @param br      the reduced bias {@code (1, nOut)} (zeros without bias)
     * @param hasBias whether the reduced layer has a bias
     * @param nOut    the reduced layer's output channels
     * @param d       rows of {@code wrT}
     */
    private record LayerMatrices(boolean conv, Patches.Geometry g, INDArray wr, INDArray wrT, INDArray br,
                                 boolean hasBias, int nOut, int d) {
        /** @return unknowns per output channel: {@code d}, plus 1 with a bias */
        int unknowns() {
            return d + (hasBias ? 1 : 0);
        }
    }

    /**
     * Sums over the sampled rows of one layer: per output channel of the reduced layer's outputs
     * {@code y} and the targets {@code t} (sums of y, y², t, t², y·t), and for least squares the
     * normal equations {@code gram = Xᵀ X}, {@code rhs = Xᵀ T}; with the time spent per step.
     */
    private static final class RowSums {
        final double[] sy;
        final double[] syy;
        final double[] st;
        final double[] stt;
        final double[] syt;
        final INDArray gram;
        final INDArray rhs;
        long rows;
        long forwardNanos;
        long rowsNanos;
        long gramNanos;

        RowSums(int nOut, int unknowns, boolean ls) {
            sy = new double[nOut];
            syy = new double[nOut];
            st = new double[nOut];
            stt = new double[nOut];
            syt = new double[nOut];
            gram = ls ? Nd4j.zeros(DataType.DOUBLE, unknowns, unknowns) : null;
            rhs = ls ? Nd4j.zeros(DataType.DOUBLE, unknowns, nOut) : null;
        }
    }

    /**
     * A layer's new parameters.
     *
     * @param step     "least squares" or "affine correction"
     * @param newW     the weight in DL4J's layout (shape of the reduced weight)
     * @param newB     the bias {@code (1, nOut)}, or null to keep the layer's
     * @param sseAfter the sum of squared errors after the refit, over the sampled rows
     */
    private record Refit(String step, INDArray newW, INDArray newB, double sseAfter) {
    }

    /** Least-squares refit ({@code ls}) or per-channel affine correction of a convolution or dense layer. */
    private void fit(LayerLink l, boolean ls) {
        long t0 = System.nanoTime();
        Layer lr = reduced.layer(l.id());
        LayerMatrices m = matrices(l, lr);
        RowSums sums = sampleRows(l, m, ls);
        long tSolve = System.nanoTime();
        double sst = 0;
        double sseBefore = 0;
        for (int c = 0; c < m.nOut(); c++) {
            double mt = sums.st[c] / sums.rows;
            sst += sums.stt[c] - sums.rows * mt * mt;
            sseBefore += sums.syy[c] - 2 * sums.syt[c] + sums.stt[c];
        }
        Refit refit = ls ? leastSquares(m, sums) : affineCorrection(m, sums);
        INDArray oldW = lr.getParam("W");
        lr.setParam("W", refit.newW().reshape(oldW.shape()).castTo(oldW.dataType()));
        if (refit.newB() != null) {
            INDArray oldB = lr.getParam("b");
            lr.setParam("b", refit.newB().reshape(oldB.shape()).castTo(oldB.dataType()));
        }
        LayerReport report = new LayerReport(l.id(), refit.step(), sums.rows, sseBefore / Math.max(sst, 1e-300),
                refit.sseAfter() / Math.max(sst, 1e-300), (System.nanoTime() - t0) / 1e9);
        reports.add(report);
        LOG.debug("calibration: {} (forward passes {} s, rows and targets {} s, Gram matrices {} s, solve {} s, "
                + "{} unknowns)", report, sums.forwardNanos / 1e9, sums.rowsNanos / 1e9, sums.gramNanos / 1e9,
                (System.nanoTime() - tSolve) / 1e9, m.unknowns());
    }

    /** The reduced layer's weight and bias as matrices. */
    private LayerMatrices matrices(LayerLink l, Layer lr) {
        boolean conv = l.kind() == LayerLink.Kind.CONV2D;
        Patches.Geometry g = conv ? Patches.Geometry.of((ConvolutionLayer) lr.conf().getLayer()) : null;
        INDArray wr = lr.getParam("W").castTo(DataType.DOUBLE);
        boolean hasBias = lr.paramTable().containsKey("b");
        int nOut = (int) (conv ? wr.size(0) : wr.size(1));
        INDArray wrT = conv ? wr.reshape('c', nOut, wr.length() / nOut).transpose().dup() : wr.dup();
        INDArray br = hasBias ? lr.getParam("b").castTo(DataType.DOUBLE).reshape(1, nOut) : Nd4j.zeros(DataType.DOUBLE, 1, nOut);
        return new LayerMatrices(conv, g, wr, wrT, br, hasBias, nOut, (int) wrT.size(0));
    }

    /**
     * Runs the calibration inputs through the resized network up to the layer and sums the rows:
     * patches (convolution, at the positions its targets were sampled at) or inputs (dense), against
     * the targets that {@link #prepareTargets} computed from the full network.
     */
    private RowSums sampleRows(LayerLink l, LayerMatrices m, boolean ls) {
        RowSums sums = new RowSums(m.nOut(), m.unknowns(), ls);
        Targets targetsOfLayer = targets.get(l.id());
        for (int k = 0; k < chunks.size(); k++) {
            long ta = System.nanoTime();
            INDArray xr = reduced.layerInput(l.id(), chunks.get(k));
            long tb = System.nanoTime();
            sums.forwardNanos += tb - ta;
            INDArray pr = m.conv() ? Patches.conv(xr, m.g(), targetsOfLayer.positions.get(k))
                    : xr.castTo(DataType.DOUBLE).reshape(xr.size(0), xr.length() / xr.size(0));
            INDArray y = targetsOfLayer.y.get(k);
            INDArray yHat = pr.mmul(m.wrT()).addiRowVector(m.br());
            accumulate(yHat, y, sums.sy, sums.syy, sums.st, sums.stt, sums.syt);
            sums.rows += pr.size(0);
            long tc = System.nanoTime();
            sums.rowsNanos += tc - tb;
            if (ls) {
                INDArray xa = m.hasBias() ? Nd4j.hstack(pr, Nd4j.ones(DataType.DOUBLE, pr.size(0), 1)) : pr;
                INDArray xaT = xa.transpose();
                sums.gram.addi(xaT.mmul(xa));
                sums.rhs.addi(xaT.mmul(y));
            }
            sums.gramNanos += System.nanoTime() - tc;
        }
        return sums;
    }

    /** Ridge-regularised least squares towards the current weights, from the normal equations. */
    private Refit leastSquares(LayerMatrices m, RowSums sums) {
        int d = m.d();
        int da = m.unknowns();
        double[][] gArr = sums.gram.toDoubleMatrix();
        double trace = 0;
        for (int i = 0; i < d; i++) {
            trace += gArr[i][i];
        }
        double alpha = options.ridge() * trace / Math.max(1, d);
        boolean[] penalised = new boolean[da];
        for (int i = 0; i < d; i++) {
            penalised[i] = true;
        }
        INDArray prior = m.hasBias() ? Nd4j.vstack(m.wrT(), m.br()) : m.wrT();
        double[][] theta = RidgeSolver.solve(gArr, sums.rhs.toDoubleMatrix(), prior.toDoubleMatrix(), alpha, penalised);
        INDArray th = Nd4j.createFromArray(theta);
        double sseAfter = th.mul(sums.gram.mmul(th)).sumNumber().doubleValue()
                - 2 * th.mul(sums.rhs).sumNumber().doubleValue() + sum(sums.stt);
        INDArray wT = th.get(NDArrayIndex.interval(0, d), NDArrayIndex.all());
        INDArray newW = m.conv() ? wT.transpose().dup('c').reshape('c', m.wr().shape()) : wT.dup();
        INDArray newB = m.hasBias() ? th.get(NDArrayIndex.point(d), NDArrayIndex.all()).reshape(1, m.nOut()) : null;
        return new Refit("least squares", newW, newB, sseAfter);
    }

    /** Per output channel, the scale and shift that match the targets' mean and variance. */
    private static Refit affineCorrection(LayerMatrices m, RowSums sums) {
        int nOut = m.nOut();
        long rows = sums.rows;
        double[] scale = new double[nOut];
        double[] shift = new double[nOut];
        double[] oldB = m.br().toDoubleVector();
        double sseAfter = 0;
        for (int c = 0; c < nOut; c++) {
            double my = sums.sy[c] / rows;
            double mt = sums.st[c] / rows;
            double vyy = sums.syy[c] - rows * my * my;
            double vtt = sums.stt[c] - rows * mt * mt;
            double vyt = sums.syt[c] - rows * my * mt;
            double s = vyy > 1e-24 ? Math.sqrt(Math.max(vtt, 0) / vyy) : 1.0;
            scale[c] = s;
            shift[c] = s * (oldB[c] - my) + mt;
            sseAfter += s * s * Math.max(vyy, 0) - 2 * s * vyt + vtt;
        }
        INDArray sRow = Nd4j.createFromArray(scale).reshape(1, nOut);
        INDArray wT = m.wrT().mulRowVector(sRow);
        INDArray newW = m.conv() ? wT.transpose().dup('c').reshape('c', m.wr().shape()) : wT;
        return new Refit("affine correction", newW, Nd4j.createFromArray(shift).reshape(1, nOut), sseAfter);
    }

    /** {@code T_g^T} {@code (N, n)}, or null for the identity (discrete axis or full size). */
    private INDArray targetMapTransposed(String group, int nOut, int nOutFull) {
        double[][] t = group == null ? null : subject.targetMaps().get(group);
        if (t == null) {
            if (nOut != nOutFull) {
                throw new IllegalStateException("layer output has " + nOut + " channels, the full layer " + nOutFull
                        + ", but group '" + group + "' has no target map");
            }
            return null;
        }
        if (t.length != nOut || t[0].length != nOutFull) {
            throw new IllegalStateException("target map of group '" + group + "' is " + t.length + "x" + t[0].length
                    + ", the layer maps " + nOutFull + " to " + nOut + " channels");
        }
        return CalibrationSubject.isIdentity(t) ? null : Nd4j.createFromArray(t).transpose().dup();
    }

    private static void accumulate(INDArray yHat, INDArray y, double[] sy, double[] syy, double[] st, double[] stt,
                                   double[] syt) {
        double[] a = yHat.sum(0).toDoubleVector();
        double[] aa = yHat.mul(yHat).sum(0).toDoubleVector();
        double[] b = y.sum(0).toDoubleVector();
        double[] bb = y.mul(y).sum(0).toDoubleVector();
        double[] ab = yHat.mul(y).sum(0).toDoubleVector();
        for (int c = 0; c < a.length; c++) {
            sy[c] += a[c];
            syy[c] += aa[c];
            st[c] += b[c];
            stt[c] += bb[c];
            syt[c] += ab[c];
        }
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    static Map<String, Double> timings(String name, long startNanos, Map<String, Double> into) {
        Map<String, Double> m = into == null ? new LinkedHashMap<>() : into;
        m.put(name, (System.nanoTime() - startNanos) / 1e9);
        return m;
    }
}
