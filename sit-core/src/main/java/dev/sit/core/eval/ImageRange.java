package dev.sit.core.eval;

import java.io.IOException;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The images {@code [from, to)} of a source, as a source of their own (a cluster task's partition). */
final class ImageRange implements ImageSource {

    private final ImageSource source;
    private final long count;
    private long read;

    ImageRange(ImageSource source, long from, long to) throws IOException {
        if (from < 0 || from >= to || to > source.count()) {
            throw new IllegalArgumentException("images [" + from + ", " + to + ") are not a range of the " + source.count()
                    + " images of the source");
        }
        this.source = source;
        this.count = to - from;
        source.skip(from);
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public INDArray next(int n) throws IOException {
        INDArray x = source.next((int) Math.min(n, count - read));
        read += x.size(0);
        return x;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
