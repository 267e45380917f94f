package dev.distillery.messages;

/**
 * Why a record went to {@code distill.rejected}, and the error code an HTTP edge answers for the same input. The
 * codes are part of the contract: dashboards and replays key on them.
 */
public enum RejectReason {
    EMPTY_TEXT("empty-text"),
    TEXT_TOO_LONG("text-too-long"),
    INVALID_UTF8("invalid-utf8"),
    /** Well-formed UTF-8 that is not well-formed Unicode text: an unpaired surrogate reached through a JSON escape. */
    INVALID_UNICODE("invalid-unicode"),
    /** A NUL character or a byte-order mark (U+FEFF) inside the text. */
    FORBIDDEN_CHARACTER("forbidden-character"),
    MALFORMED_JSON("malformed-json"),
    UNSUPPORTED_SCHEMA("unsupported-schema"),
    /** The record's id (JSON {@code id} or record key) is longer than {@link RecordId#MAX_LENGTH}. */
    ID_TOO_LONG("id-too-long"),
    /** The output record would be over the broker's size limit and the producer refused it. */
    RECORD_TOO_LARGE("record-too-large"),
    ANSWER_UNPARSEABLE("answer-unparseable"),
    LABEL_NOT_IN_SET("label-not-in-set"),
    TEACHER_FAILED("teacher-failed"),
    /** The teacher stopped at its token limit ({@code finish_reason=length}): the answer may be cut short. */
    ANSWER_TRUNCATED("answer-truncated"),
    /** The teacher declined ({@code refusal} set, or {@code finish_reason=content_filter}). */
    TEACHER_REFUSED("teacher-refused"),
    TASK_MISMATCH("task-mismatch");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
