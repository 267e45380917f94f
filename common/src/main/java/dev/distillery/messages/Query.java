package dev.distillery.messages;

import java.time.Instant;

/** A query to be labeled by the teacher, as produced to {@code distill.queries}. */
public record Query(int schema, String id, String text, Instant submittedAt) {

    public static Query of(String id, String text, Instant submittedAt) {
        return new Query(Schema.VERSION, id, text, submittedAt);
    }
}
