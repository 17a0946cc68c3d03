package org.integral4j.layers.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.util.DirectAccess;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores networks saved with DL4J's {@code ModelSerializer.writeModel} an order of magnitude
 * faster than {@code ModelSerializer.restoreMultiLayerNetwork / restoreComputationGraph}, with the
 * same result.
 *
 * <p>Why DL4J's restore is slow (profiled on a ResNet-18 zip, 11.7 M parameters, M2.1): it first
 * copies every zip entry into a growing {@code ByteArrayOutputStream} (about a quarter of the time,
 * the updater state included even when it is not wanted), then {@code Nd4j.read} decodes the
 * parameters one element at a time ({@code DataInputStream.readFloat} and a virtual
 * {@code putByDestinationType} per value, about half of the time). Here the needed entries are
 * streamed from the zip and the values decoded in blocks (a big-endian {@link ByteBuffer} view,
 * then one bulk copy into the native buffer); configuration parsing, network construction and
 * {@code init(params, false)} are DL4J's own, as in {@code ModelSerializer}.
 *
 * <p>Arrays the block decoder does not handle (types other than FLOAT and DOUBLE, compressed
 * buffers, a backend whose buffers are not host memory, see {@link DirectAccess#isDirect}) are
 * read by {@code Nd4j.read}, so every file {@code ModelSerializer} reads is restored.
 */
public final class FastModelRestore {

    private static final Logger LOG = LoggerFactory.getLogger(FastModelRestore.class);
    /** Values decoded per block. */
    private static final int BLOCK = 1 << 18;

    private FastModelRestore() {
    }

    /**
     * Restores a {@link MultiLayerNetwork}, as {@code ModelSerializer.restoreMultiLayerNetwork(file, loadUpdater)}.
     *
     * @param file        a {@code ModelSerializer} zip (not modified)
     * @param loadUpdater whether to restore the updater state (needed to resume training)
     * @return the network
     * @throws IOException when the file cannot be read or holds no multi-layer network
     */
    public static MultiLayerNetwork restoreMultiLayerNetwork(File file, boolean loadUpdater) throws IOException {
        try (ZipFile zip = new ZipFile(file)) {
            String json = configuration(zip, file);
            MultiLayerConfiguration conf;
            try {
                conf = MultiLayerConfiguration.fromJson(json);
            } catch (RuntimeException e) {
                throw new IOException(file + ": " + ModelSerializer.CONFIGURATION_JSON + " is not a MultiLayerNetwork "
                        + "configuration (for a ComputationGraph use restoreComputationGraph): " + e.getMessage(), e);
            }
            INDArray params = params(zip, file);
            if (params != null) {
                conf.setDataType(params.dataType());
            }
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init(params, false);
            INDArray updater = loadUpdater ? array(zip, ModelSerializer.UPDATER_BIN) : null;
            if (updater != null) {
                net.getUpdater().setStateViewArray(net, updater, false);
            }
            return net;
        }
    }

    /**
     * Restores a {@link ComputationGraph}, as {@code ModelSerializer.restoreComputationGraph(file, loadUpdater)}.
     *
     * @param file        a {@code ModelSerializer} zip (not modified)
     * @param loadUpdater whether to restore the updater state (needed to resume training)
     * @return the network
     * @throws IOException when the file cannot be read or holds no computation graph
     */
    public static ComputationGraph restoreComputationGraph(File file, boolean loadUpdater) throws IOException {
        try (ZipFile zip = new ZipFile(file)) {
            String json = configuration(zip, file);
            ComputationGraphConfiguration conf;
            try {
                conf = ComputationGraphConfiguration.fromJson(json);
            } catch (RuntimeException e) {
                throw new IOException(file + ": " + ModelSerializer.CONFIGURATION_JSON + " is not a ComputationGraph "
                        + "configuration (for a MultiLayerNetwork use restoreMultiLayerNetwork): " + e.getMessage(), e);
            }
            if (conf.getNetworkInputs() == null && (conf.getVertices() == null || conf.getVertices().isEmpty())) {
                throw new IOException(file + ": " + ModelSerializer.CONFIGURATION_JSON + " is not a ComputationGraph "
                        + "configuration (no inputs, no vertices); for a MultiLayerNetwork use restoreMultiLayerNetwork.");
            }
            INDArray params = params(zip, file);
            if (params != null) {
                conf.setDataType(params.dataType());
            }
            ComputationGraph graph = new ComputationGraph(conf);
            graph.init(params, false);
            INDArray updater = loadUpdater ? array(zip, ModelSerializer.UPDATER_BIN) : null;
            if (updater != null) {
                graph.getUpdater().setStateViewArray(updater);
            }
            return graph;
        }
    }

    private static String configuration(ZipFile zip, File file) throws IOException {
        ZipEntry e = zip.getEntry(ModelSerializer.CONFIGURATION_JSON);
        if (e == null) {
            throw new IOException(file + " has no " + ModelSerializer.CONFIGURATION_JSON + " entry: not a network "
                    + "saved with ModelSerializer.writeModel.");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static INDArray params(ZipFile zip, File file) throws IOException {
        ZipEntry e = zip.getEntry(ModelSerializer.COEFFICIENTS_BIN);
        if (e == null || e.getSize() == 0) {
            if (zip.getEntry(ModelSerializer.NO_PARAMS_MARKER) != null) {
                return null;
            }
            throw new IOException(file + " has no " + ModelSerializer.COEFFICIENTS_BIN + " entry (and no "
                    + ModelSerializer.NO_PARAMS_MARKER + "): not a network saved with ModelSerializer.writeModel.");
        }
        return array(zip, ModelSerializer.COEFFICIENTS_BIN);
    }

    /** The array of an entry, or null when there is no such entry. */
    private static INDArray array(ZipFile zip, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(zip.getInputStream(e), 1 << 16))) {
            INDArray a = readArray(in);
            if (a != null) {
                return a;
            }
        }
        LOG.debug("{}: not block-decodable, reading it with Nd4j.read", name);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(zip.getInputStream(e), 1 << 16))) {
            return Nd4j.read(in);
        }
    }

    /**
     * Reads one array in {@code Nd4j.write}'s format (shape-information buffer, then data buffer;
     * each a header of allocation mode, length and type, then big-endian values).
     *
     * @param in the stream, at the start of the array (advanced)
     * @return the array, or null when it is not FLOAT or DOUBLE data that can be decoded in blocks
     *         (the caller then reads it again with {@code Nd4j.read})
     * @throws IOException when the stream ends early
     */
    static INDArray readArray(DataInputStream in) throws IOException {
        Header shapeHeader = Header.read(in);
        if (shapeHeader == null || (shapeHeader.type != DataType.LONG && shapeHeader.type != DataType.INT)) {
            return null;
        }
        long[] shapeInfo = new long[Math.toIntExact(shapeHeader.length)];
        for (int i = 0; i < shapeInfo.length; i++) {
            shapeInfo[i] = shapeHeader.type == DataType.LONG ? in.readLong() : in.readInt();
        }
        int rank = (int) shapeInfo[0];
        if (rank < 0 || shapeInfo.length < 2 * rank + 4) {
            return null;
        }
        long[] shape = new long[rank];
        long[] stride = new long[rank];
        long length = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = shapeInfo[1 + i];
            stride[i] = shapeInfo[1 + rank + i];
            length *= shape[i];
        }
        char order = (char) shapeInfo[shapeInfo.length - 1];
        Header dataHeader = Header.read(in);
        if (dataHeader == null || (dataHeader.type != DataType.FLOAT && dataHeader.type != DataType.DOUBLE)
                || dataHeader.length != length || (order != 'c' && order != 'f') || length > Integer.MAX_VALUE) {
            return null;
        }
        INDArray flat = Nd4j.createUninitializedDetached(dataHeader.type, length);
        if (!DirectAccess.isDirect(flat)) {
            return null;
        }
        if (dataHeader.type == DataType.FLOAT) {
            readFloats(in, flat, (int) length);
        } else {
            readDoubles(in, flat, (int) length);
        }
        return Nd4j.create(flat.data(), shape, stride, 0, order, dataHeader.type);
    }

    private static void readFloats(DataInputStream in, INDArray target, int length) throws IOException {
        byte[] bytes = new byte[Math.min(length, BLOCK) * Float.BYTES];
        float[] values = new float[Math.min(length, BLOCK)];
        FloatPointer p = new FloatPointer(target.data().addressPointer());
        for (int done = 0; done < length; ) {
            int n = Math.min(BLOCK, length - done);
            in.readFully(bytes, 0, n * Float.BYTES);
            ByteBuffer.wrap(bytes, 0, n * Float.BYTES).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(values, 0, n);
            p.position(done).put(values, 0, n);
            done += n;
        }
    }

    private static void readDoubles(DataInputStream in, INDArray target, int length) throws IOException {
        byte[] bytes = new byte[Math.min(length, BLOCK) * Double.BYTES];
        double[] values = new double[Math.min(length, BLOCK)];
        DoublePointer p = new DoublePointer(target.data().addressPointer());
        for (int done = 0; done < length; ) {
            int n = Math.min(BLOCK, length - done);
            in.readFully(bytes, 0, n * Double.BYTES);
            ByteBuffer.wrap(bytes, 0, n * Double.BYTES).order(ByteOrder.BIG_ENDIAN).asDoubleBuffer().get(values, 0, n);
            p.position(done).put(values, 0, n);
            done += n;
        }
    }

    /** A data-buffer header of {@code Nd4j.write}: allocation mode, element count, type. */
    private record Header(long length, DataType type) {

        /** The header, or null when its allocation mode or type is unknown. */
        static Header read(DataInputStream in) throws IOException {
            String mode = in.readUTF();
            long length;
            switch (mode) {
                case "DIRECT", "HEAP", "JAVACPP" -> length = in.readInt();
                case "LONG_SHAPE", "MIXED_DATA_TYPES" -> length = in.readLong();
                default -> {
                    return null;
                }
            }
            if (length < 0) {
                throw new EOFException("negative length " + length + " in an array header");
            }
            DataType type;
            try {
                type = DataType.valueOf(in.readUTF());
            } catch (IllegalArgumentException e) {
                return null;
            }
            return new Header(length, type);
        }
    }
}
