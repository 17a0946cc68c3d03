package org.integral4j.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralModelFileException;
import org.integral4j.layers.io.FastModelRestore;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Reads the model files the command line accepts, telling them apart by their zip entries:
 * <ul>
 *   <li>an Integral4J model ({@link IntegralModel#save}): a {@code ModelSerializer} zip with the
 *       entry {@value IntegralModel#FILE_ENTRY};</li>
 *   <li>a plain {@code ComputationGraph}: its {@code configuration.json} has a {@code "vertices"}
 *       field;</li>
 *   <li>a plain {@code MultiLayerNetwork}: its {@code configuration.json} has a {@code "confs"}
 *       field.</li>
 * </ul>
 * Every problem becomes a {@link CliException} failure that names the file (and the zip entry at
 * fault) and says what was expected. Files are only read.
 */
final class ModelFile {

    /** The top-level field of a {@code ComputationGraphConfiguration}'s JSON. */
    private static final String GRAPH_FIELD = "vertices";
    /** The top-level field of a {@code MultiLayerConfiguration}'s JSON. */
    private static final String MULTI_LAYER_FIELD = "confs";
    /** What the command line reads, for hints. */
    static final String EXPECTED = "Expected a DL4J network saved with ModelSerializer.writeModel"
            + " (MultiLayerNetwork or ComputationGraph) or an integral model saved with IntegralModel.save"
            + " or 'resize --integral'.";

    /** What a file holds. */
    enum Kind {
        /** A plain {@code MultiLayerNetwork}. */
        MULTI_LAYER_NETWORK("MultiLayerNetwork"),
        /** A plain {@code ComputationGraph}. */
        COMPUTATION_GRAPH("ComputationGraph"),
        /** An Integral4J model. */
        INTEGRAL_MODEL("integral model");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** @return a name for messages */
        String label() {
            return label;
        }
    }

    /**
     * A file's content: either a plain network or an integral model.
     *
     * @param file     the file read
     * @param kind     what it holds
     * @param plain    the plain network, or null for an integral model
     * @param integral the integral model, or null for a plain network
     */
    record Content(File file, Kind kind, Model plain, IntegralModel integral) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {
    }

    /**
     * Reads a model file.
     *
     * @param file the file (not modified)
     * @return its content
     * @throws CliException a failure when the file is missing, not a zip, not a DL4J model, or
     *                      cannot be restored
     */
    static Content read(File file) throws CliException {
        Kind kind = kindOf(file);
        try {
            switch (kind) {
                case INTEGRAL_MODEL:
                    return new Content(file, kind, null, IntegralModel.load(file));
                case COMPUTATION_GRAPH:
                    // The updater state is not loaded: conversion and export do not use it.
                    return new Content(file, kind, FastModelRestore.restoreComputationGraph(file, false), null);
                default:
                    return new Content(file, kind, FastModelRestore.restoreMultiLayerNetwork(file, false), null);
            }
        } catch (IntegralModelFileException e) {
            throw CliException.failure("cannot load the integral model: " + e.getMessage(), "The file is damaged"
                    + " (it was edited, truncated or written incompletely). Write it again with 'resize --integral'"
                    + " from the original network.", e);
        } catch (IOException | RuntimeException e) {
            throw CliException.failure("cannot restore the " + kind.label() + " in " + file + " from its entries "
                    + ModelSerializer.CONFIGURATION_JSON + " and " + ModelSerializer.COEFFICIENTS_BIN + ": "
                    + CliException.describe(e), "The file may be truncated or corrupt, or written by an"
                    + " incompatible DL4J version (this build reads DL4J 1.0.0-M2.1 files). " + EXPECTED, e);
        }
    }

    /**
     * Checks that a file exists and is a regular file.
     *
     * @param file the file
     * @throws CliException a failure when it does not exist or is a directory
     */
    static void requireFile(File file) throws CliException {
        if (!file.exists()) {
            throw CliException.failure("no such file: " + file, "Check the path (relative paths start at "
                    + new File("").getAbsolutePath() + ").", null);
        }
        if (!file.isFile()) {
            throw CliException.failure(file + " is a directory, not a model file.", EXPECTED, null);
        }
    }

    /**
     * What a file holds, from its zip entries alone.
     *
     * @param file the file
     * @return its kind
     * @throws CliException a failure when the file is missing, not a zip or not a DL4J model
     */
    static Kind kindOf(File file) throws CliException {
        requireFile(file);
        try (ZipFile zip = new ZipFile(file)) {
            ZipEntry conf = zip.getEntry(ModelSerializer.CONFIGURATION_JSON);
            if (conf == null) {
                throw CliException.failure(file + " is a zip archive but not a DL4J model: it has no "
                        + ModelSerializer.CONFIGURATION_JSON + " entry.", EXPECTED, null);
            }
            if (zip.getEntry(IntegralModel.FILE_ENTRY) != null) {
                return Kind.INTEGRAL_MODEL;
            }
            JsonNode root;
            try (InputStream in = zip.getInputStream(conf)) {
                root = JSON.readTree(in);
            } catch (JsonProcessingException | ZipException e) {
                throw CliException.failure("the " + ModelSerializer.CONFIGURATION_JSON + " entry of " + file
                        + " is not valid JSON: " + CliException.describe(e), "The file is damaged. " + EXPECTED, e);
            }
            if (root != null && root.has(GRAPH_FIELD)) {
                return Kind.COMPUTATION_GRAPH;
            }
            if (root != null && root.has(MULTI_LAYER_FIELD)) {
                return Kind.MULTI_LAYER_NETWORK;
            }
            throw CliException.failure("the " + ModelSerializer.CONFIGURATION_JSON + " entry of " + file
                    + " describes neither a MultiLayerNetwork (no \"" + MULTI_LAYER_FIELD
                    + "\" field) nor a ComputationGraph (no \"" + GRAPH_FIELD + "\" field).", EXPECTED, null);
        } catch (ZipException e) {
            throw CliException.failure("cannot read " + file + ": it is not a zip archive ("
                    + CliException.describe(e) + ").", "The file is empty, corrupt or truncated, or not a model file. "
                    + EXPECTED, e);
        } catch (IOException e) {
            throw CliException.failure("cannot read " + file + ": " + CliException.describe(e),
                    "Check that the file is readable.", e);
        }
    }
}
