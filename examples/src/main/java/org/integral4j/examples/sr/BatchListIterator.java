package org.integral4j.examples.sr;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** A resettable iterator over ready-made mini-batches, in list order. */
final class BatchListIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;
    private final transient List<DataSet> batches;
    private int next;

    BatchListIterator(List<DataSet> batches) {
        this.batches = List.copyOf(batches);
    }

    @Override
    public boolean hasNext() {
        return next < batches.size();
    }

    @Override
    public DataSet next() {
        return batches.get(next++);
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("batches are ready-made; call next()");
    }

    @Override
    public int inputColumns() {
        return (int) batches.get(0).getFeatures().length() / batches.get(0).numExamples();
    }

    @Override
    public int totalOutcomes() {
        return (int) batches.get(0).getLabels().length() / batches.get(0).numExamples();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        next = 0;
    }

    @Override
    public int batch() {
        return batches.get(0).numExamples();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("no pre-processing: the batches are ready-made");
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
