package dev.distillery.teacher.api;

import dev.distillery.http.ApiException;
import dev.distillery.messages.RejectReason;
import dev.distillery.teacher.labeling.Outcome.Rejection;
import dev.distillery.teacher.labeling.QueryDecoder.Decoded;
import dev.distillery.teacher.labeling.QueryDecoder;

/** The Kafka path's text rules (empty, too long) applied to HTTP input, as 400 / 413 errors. */
final class TextRules {

    private TextRules() {
    }

    /** @return the trimmed text, or throws the API error naming {@code where} the bad text was */
    static String accepted(QueryDecoder decoder, String id, String text, String where) {
        return switch (decoder.check(id, text)) {
            case Decoded d -> d.text();
            case Rejection r -> throw new ApiException(r.reason() == RejectReason.TEXT_TOO_LONG ? 413 : 400,
                    r.reason().code(), where + ": " + r.detail());
        };
    }
}
