package dev.sit.core.plugin;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The closest of a set of names to a misspelled one, for "did you mean ...?" messages. */
public final class ClosestName {

    private ClosestName() {
    }

    /**
     * The candidate with the smallest case-insensitive edit distance to {@code wanted}, if that
     * distance is small relative to the name (at most 3 edits and less than half its length), or
     * a candidate that starts with or contains it.
     */
    public static Optional<String> of(String wanted, Collection<String> candidates) {
        String w = wanted.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int d = distance(w, c);
            if (!w.isEmpty() && (c.startsWith(w) || w.startsWith(c))) {
                d = Math.min(d, 1);
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int limit = Math.min(3, Math.max(1, (Math.max(w.length(), best.length()) + 1) / 2));
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
