package dev.distillery.trainer.intake;

import java.io.IOException;
import java.util.Map;

import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.RecordId;
import dev.distillery.messages.RejectReason;
import dev.distillery.messages.Rejected;
import dev.distillery.messages.Schema;
import dev.distillery.task.TaskSpec;

/**
 * Decides whether a record of {@code distill.labeled} is a usable example for this task. Pure and thread-safe: the
 * consumer thread and the dataset export share it, so both see the same dataset.
 */
public final class ExampleValidator {

    private final TaskSpec task;
    private final String promptSha256;
    private final boolean requirePromptMatch;

    public ExampleValidator(TaskSpec task, boolean requirePromptMatch) {
        this.task = task;
        this.promptSha256 = task.promptSha256();
        this.requirePromptMatch = requirePromptMatch;
    }

    public Validation validate(String key, byte[] value) {
        if (RecordId.tooLong(key)) {
            return new Validation.Invalid(RecordId.bounded(key), RejectReason.ID_TOO_LONG,
                    "the record key has " + key.length() + " characters; the limit is " + RecordId.MAX_LENGTH);
        }
        if (value == null || value.length == 0) {
            return new Validation.Invalid(key, RejectReason.MALFORMED_JSON, "empty record value");
        }
        if (Rejected.decodeUtf8(value) == null) {
            return new Validation.Invalid(key, RejectReason.INVALID_UTF8, "record value is not valid UTF-8");
        }
        LabeledExample example;
        try {
            example = MessageCodec.decode(value, LabeledExample.class);
        } catch (IOException | RuntimeException e) {
            return new Validation.Invalid(key, RejectReason.MALFORMED_JSON, "not a LabeledExample: " + firstLine(e));
        }
        if (example == null) {
            return new Validation.Invalid(key, RejectReason.MALFORMED_JSON, "record value is JSON null");
        }
        String id = example.id() == null || example.id().isBlank() ? key : example.id();
        if (RecordId.tooLong(id)) {
            return new Validation.Invalid(RecordId.bounded(id), RejectReason.ID_TOO_LONG,
                    "the example id has " + id.length() + " characters; the limit is " + RecordId.MAX_LENGTH);
        }
        if (example.schema() > Schema.VERSION) {
            return new Validation.Invalid(id, RejectReason.UNSUPPORTED_SCHEMA,
                    "schema " + example.schema() + " is newer than " + Schema.VERSION);
        }
        if (id == null || id.isBlank()) {
            return new Validation.Invalid(null, RejectReason.MALFORMED_JSON, "example has no id (and the record no key)");
        }
        if (example.text() == null || example.text().isBlank()) {
            return new Validation.Invalid(id, RejectReason.EMPTY_TEXT, "example text is empty");
        }
        if (example.label() == null || !task.hasLabel(example.label())) {
            return new Validation.Invalid(id, RejectReason.LABEL_NOT_IN_SET,
                    "label " + example.label() + " is not one of " + task.labels());
        }
        if (requirePromptMatch && example.teacher() != null && example.teacher().promptSha256() != null
                && !example.teacher().promptSha256().equals(promptSha256)) {
            return new Validation.Invalid(id, RejectReason.TASK_MISMATCH, "labeled with prompt sha256 "
                    + example.teacher().promptSha256() + ", this task's prompt is " + promptSha256);
        }
        String response = example.response() == null || example.response().isBlank()
                ? task.formatAnswer(example.label())
                : example.response();
        return new Validation.Valid(new Example(id, example.text(), example.label(),
                target(example.label(), example.distribution()), response, example.deferral()));
    }

    /**
     * One-hot on the label, or the teacher's distribution when it carries a usable one. Mass on labels outside the set
     * is dropped and the rest renormalised; a distribution with nothing usable falls back to the hard label.
     */
    float[] target(String label, Map<String, Double> distribution) {
        float[] row = new float[task.labels().size()];
        if (distribution != null && !distribution.isEmpty()) {
            double sum = 0;
            for (Map.Entry<String, Double> e : distribution.entrySet()) {
                int index = task.labelIndex(e.getKey());
                Double p = e.getValue();
                if (index >= 0 && p != null && Double.isFinite(p) && p > 0) {
                    row[index] += p.floatValue();
                    sum += p;
                }
            }
            if (sum > 0) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = (float) (row[i] / sum);
                }
                return row;
            }
            java.util.Arrays.fill(row, 0f);
        }
        row[task.labelIndex(label)] = 1f;
        return row;
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
