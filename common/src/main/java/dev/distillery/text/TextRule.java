package dev.distillery.text;

import java.util.Optional;

import dev.distillery.messages.RejectReason;

/**
 * What a text must be to be labeled, trained on or classified, wherever it comes in (a Kafka record, an HTTP body, a
 * chat message): non-blank, at most {@code maxChars} code points once stripped, well-formed Unicode (no unpaired
 * surrogate, which JSON escapes such as {@code "\ud800"} can carry past a UTF-8 check), and free of NUL and of the
 * byte-order mark U+FEFF (a BOM is an encoding artefact, never query content). Invalid UTF-8 and duplicate JSON keys
 * are caught where bytes and JSON are parsed ({@link dev.distillery.messages.Rejected#decodeUtf8},
 * {@link dev.distillery.http.JsonRequestBody}), with the same reason codes.
 */
public final class TextRule {

    private final int maxChars;

    public TextRule(int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("the text limit must be at least 1 character, got " + maxChars);
        }
        this.maxChars = maxChars;
    }

    /** Why a text is refused: the reason (its code is also the HTTP error code) and a message naming the text. */
    public record Violation(RejectReason reason, String detail) {

        /** 413 for a text too long, else 400. */
        public int httpStatus() {
            return reason == RejectReason.TEXT_TOO_LONG ? 413 : 400;
        }
    }

    public int maxChars() {
        return maxChars;
    }

    /**
     * The violation, or empty when the text (measured stripped of surrounding whitespace) is acceptable;
     * {@code name} says which text it is in messages ({@code "text"}, {@code "texts[3]"}, ...).
     */
    public Optional<Violation> check(String text, String name) {
        if (text == null || text.isBlank()) {
            return Optional.of(new Violation(RejectReason.EMPTY_TEXT, name + " is empty or whitespace"));
        }
        String stripped = text.strip();
        int chars = stripped.codePointCount(0, stripped.length());
        if (chars > maxChars) {
            return Optional.of(new Violation(RejectReason.TEXT_TOO_LONG,
                    name + " has " + chars + " characters; the limit is " + maxChars));
        }
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < stripped.length()
                    && Character.isLowSurrogate(stripped.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(new Violation(RejectReason.INVALID_UNICODE, name + " holds an unpaired surrogate"
                        + " at index " + i + "; it cannot be encoded as UTF-8"));
            } else if (c == '\u0000') {
                return Optional.of(new Violation(RejectReason.FORBIDDEN_CHARACTER,
                        name + " holds a NUL character at index " + i));
            } else if (c == '\uFEFF') {
                return Optional.of(new Violation(RejectReason.FORBIDDEN_CHARACTER,
                        name + " holds a byte-order mark (U+FEFF) at index " + i));
            }
        }
        return Optional.empty();
    }
}
