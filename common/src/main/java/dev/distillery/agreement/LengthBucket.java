package dev.distillery.agreement;

/**
 * Text length ranges, in characters (code points), in which student-teacher agreement is reported and gated: a student
 * that reads short queries well can still fail on paragraphs, and an overall figure over a stream of short queries
 * would hide it.
 */
public enum LengthBucket {
    UNDER_40("<40", 0, 40),
    FROM_40("40-80", 40, 80),
    FROM_80("80-120", 80, 120),
    FROM_120("120-200", 120, 200),
    FROM_200("200+", 200, Integer.MAX_VALUE);

    private final String label;
    private final int from;
    private final int to;

    LengthBucket(String label, int from, int to) {
        this.label = label;
        this.from = from;
        this.to = to;
    }

    /** The bucket's name in reports and JSON ({@code <40}, {@code 40-80}, ..., {@code 200+}). */
    public String label() {
        return label;
    }

    public static LengthBucket of(String text) {
        int length = text == null ? 0 : text.codePointCount(0, text.length());
        for (LengthBucket b : values()) {
            if (length >= b.from && length < b.to) {
                return b;
            }
        }
        throw new AssertionError("lengths cover every int");
    }
}
