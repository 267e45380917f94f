package dev.distillery.trainer.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.distillery.trainer.intake.Example;

/**
 * Makes the lengths users send out of the short queries a stream usually holds: a share of each training batch is
 * replaced by texts of the same teacher label, built by joining that example with others of its label and cropping
 * the result at word boundaries to a random length; half as many again are cut down to a fragment of a few words.
 * Joining same-label texts keeps the label true (a paragraph of German sentences is German) without asking the
 * teacher again, so it costs only the longer forward pass. A fragment's label is less sure: the rules teacher calls
 * 16% of the 3-5 word fragments of its German demo sentences and 48% of its Spanish ones {@code ot} (and fragments
 * of one or two words more still: see {@link #fragment}). Fragments labeled by the teacher instead were measured and
 * did no better on text the demo never streamed (trainer-service/README.md, stop 16), so they keep the sentence's.
 *
 * <p>Keeps up to {@code poolPerLabel} recent examples of each label to join with. Not thread-safe: owned by the
 * training thread.
 */
public final class LengthAugmentation {

    static final int FRAGMENT_MIN_CHARS = 12;
    static final int FRAGMENT_MAX_CHARS = 30;
    static final int FRAGMENT_MIN_WORDS = 3;
    static final int FRAGMENT_MAX_WORDS = 5;
    /**
     * Examples shorter than this are neither lengthened, cut nor joined into others' texts: a short text may owe its
     * label to its shortness (a teacher may call a two-word greeting "other" and name the language of a paragraph of
     * the same words), so its label need not hold for a longer text built from it.
     */
    static final int MIN_SEED_CHARS = 25;

    private final double share;
    private final double fragmentShare;
    private final int minChars;
    private final int maxChars;
    private final int poolPerLabel;
    private final Map<String, List<Example>> pools = new HashMap<>();
    private final Map<String, Integer> nextSlot = new HashMap<>();

    /**
     * @param share         share of a batch's examples replaced by a longer text (0 turns augmentation off)
     * @param fragmentShare fragments per lengthened example (0: none)
     * @param minChars      shortest built text, in characters
     * @param maxChars      longest built text, in characters
     */
    public LengthAugmentation(double share, double fragmentShare, int minChars, int maxChars, int poolPerLabel) {
        if (!(share >= 0 && share <= 1) || !(fragmentShare >= 0) || minChars < 1
                || maxChars < minChars || poolPerLabel < 1) {
            throw new IllegalArgumentException("augmentation needs share in [0, 1], fragment-share >= 0,"
                    + " 1 <= min-chars <= max-chars and a pool of at least one example");
        }
        this.share = share;
        this.fragmentShare = fragmentShare;
        this.minChars = minChars;
        this.maxChars = maxChars;
        this.poolPerLabel = poolPerLabel;
    }

    public static LengthAugmentation off() {
        return new LengthAugmentation(0, 0, 1, 1, 1);
    }

    public double share() {
        return share;
    }

    /** Remembers a training example as material for its label's longer texts (a ring of the most recent ones). */
    public void observe(Example example) {
        if (tooShort(example)) {
            return;
        }
        List<Example> pool = pools.computeIfAbsent(example.label(), l -> new ArrayList<>());
        if (pool.size() < poolPerLabel) {
            pool.add(example);
            return;
        }
        int slot = nextSlot.merge(example.label(), 1, Integer::sum) % poolPerLabel;
        pool.set(slot, example);
    }

    /**
     * The batch with about {@code share} of its examples (chosen at random) replaced by longer ones and about
     * {@code fragmentShare} of {@code share} (of the rest) by a fragment of themselves; examples under
     * {@link #MIN_SEED_CHARS} are kept as they are.
     */
    public List<Example> apply(List<Example> batch, Random random) {
        if (share == 0) {
            return batch;
        }
        List<Example> out = new ArrayList<>(batch.size());
        for (Example e : batch) {
            double r = random.nextDouble();
            out.add(tooShort(e) ? e
                    : r < share ? lengthen(e, random)
                    : r < share * (1 + fragmentShare) ? fragment(e, random)
                    : e);
        }
        return out;
    }

    /**
     * A short span of the example, same label: users send greetings and three-word questions, which a stream of full
     * sentences has few of. Where the text has spaces, {@link #FRAGMENT_MIN_WORDS} to {@link #FRAGMENT_MAX_WORDS}
     * whole words: one or two words often do not say which label a text has (the rules teacher calls Latin text
     * under three words {@code ot}), and fragments of one or two words labeled with their sentence's language taught
     * the student to answer a two-word greeting with a language at margin 0.999. Without spaces (Chinese, Thai),
     * 12-30 characters.
     */
    Example fragment(Example seed, Random random) {
        String text = seed.text().strip();
        String part;
        if (text.indexOf(' ') >= 0) {
            String[] words = text.split("\\s+");
            int count = FRAGMENT_MIN_WORDS + random.nextInt(FRAGMENT_MAX_WORDS - FRAGMENT_MIN_WORDS + 1);
            if (words.length < count + FRAGMENT_MIN_WORDS) {
                return seed;
            }
            int start = random.nextInt(words.length - count + 1);
            part = String.join(" ", java.util.Arrays.copyOfRange(words, start, start + count));
        } else {
            int length = text.codePointCount(0, text.length());
            int target = FRAGMENT_MIN_CHARS + random.nextInt(FRAGMENT_MAX_CHARS - FRAGMENT_MIN_CHARS + 1);
            if (length <= target + FRAGMENT_MIN_CHARS) {
                return seed;
            }
            part = crop(text, target, random);
        }
        return new Example(seed.id() + "#part", part, seed.label(), seed.target(), seed.response());
    }

    /** The example joined with others of its label (itself again when it is its label's only one), then cropped. */
    Example lengthen(Example seed, Random random) {
        int target = minChars + random.nextInt(maxChars - minChars + 1);
        List<Example> pool = pools.getOrDefault(seed.label(), List.of());
        StringBuilder text = new StringBuilder(seed.text().strip());
        // Joined past the target, so that the crop can start anywhere, not always at the seed's first word.
        int want = target + target / 2;
        for (int guard = 0; length(text) < want && guard < 64; guard++) {
            Example other = pool.isEmpty() ? seed : pool.get(random.nextInt(pool.size()));
            text.append(' ').append(other.text().strip());
        }
        String cropped = crop(text.toString(), target, random);
        return new Example(seed.id() + "#long", cropped, seed.label(), seed.target(), seed.response());
    }

    /** A span of about {@code target} characters starting and ending at spaces where the text has them. */
    static String crop(String text, int target, Random random) {
        int[] cps = text.codePoints().toArray();
        if (cps.length <= target) {
            return text;
        }
        int start = random.nextInt(cps.length - target + 1);
        int end = start + target;
        if (text.indexOf(' ') < 0) {
            return new String(cps, start, target); // Chinese, Thai: any character boundary will do
        }
        int s = start;
        while (s > 0 && s > start - 20 && cps[s - 1] != ' ') {
            s--; // back to the start of the word, unless the text has no spaces near (Chinese, Thai)
        }
        if (s > 0 && cps[s - 1] != ' ') {
            s = start;
        }
        int e = end;
        while (e < cps.length && e < end + 20 && cps[e] != ' ') {
            e++;
        }
        if (e < cps.length && cps[e] != ' ') {
            e = end;
        }
        return new String(cps, s, e - s).strip();
    }

    private static boolean tooShort(Example e) {
        String text = e.text().strip();
        return text.codePointCount(0, text.length()) < MIN_SEED_CHARS;
    }

    private static int length(StringBuilder text) {
        return text.codePointCount(0, text.length());
    }
}
