package dev.sit.core.data;

/**
 * How many images were recognised as their intended class: {@code fraction} = correct / N,
 * {@code predicted[i]} the recognised class of image i (-1 when it has no foreground), and per
 * class the number of images and of correct ones.
 */
public record ClassRecognition(double fraction, int[] predicted, int[] perClassCount, int[] perClassCorrect) {

    /** The fraction recognised correctly among the images meant to be class {@code k} (NaN if none). */
    public double fractionOf(int k) {
        return perClassCount[k] == 0 ? Double.NaN : perClassCorrect[k] / (double) perClassCount[k];
    }
}
