package dev.distillery.messages;

/** Why a record went to {@code distill.rejected}. The codes are part of the contract: dashboards and replays key on them. */
public enum RejectReason {
    EMPTY_TEXT("empty-text"),
    TEXT_TOO_LONG("text-too-long"),
    INVALID_UTF8("invalid-utf8"),
    MALFORMED_JSON("malformed-json"),
    UNSUPPORTED_SCHEMA("unsupported-schema"),
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
