package dev.distillery.student.openai;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.http.JsonRequestBody;
import dev.distillery.task.TaskSpec;

/**
 * The OpenAI request fields that change a classification answer, checked: {@code model} (a string; see
 * {@link ChatModelName} for which names are accepted),
 * {@code n} (the n most probable labels, 1 to the number of labels), {@code logprobs} and {@code top_logprobs}
 * (0-20, needs logprobs), {@code stream} and {@code stream_options.include_usage}. Sampling and length fields
 * ({@code temperature}, {@code max_tokens}, ...) are accepted and ignored: the answer is one label, not sampled.
 */
public record ChatOptions(String model, int n, boolean logprobs, int topLogprobs, boolean stream, boolean includeUsage) {

    public static final int MAX_TOP_LOGPROBS = 20;

    /** @param strictModel refuse a {@code model} that is not the student's (distillery.student.strict-model) */
    public static ChatOptions parse(JsonNode json, TaskSpec task, boolean strictModel) {
        String model = null;
        JsonNode m = json.get("model");
        if (m != null && !m.isNull()) {
            if (!m.isTextual()) {
                throw bad("invalid-field-type", "model", "'model' must be a string, got " + JsonRequestBody.typeOf(m));
            }
            model = m.textValue();
            if (strictModel) {
                ChatModelName.check(task, model);
            }
        }
        int labels = task.labels().size();
        int n = integer(json, "n", 1);
        if (n < 1 || n > labels) {
            throw bad("invalid-value", "n", "'n' must be between 1 and " + labels + " (the task's labels): the n"
                    + " choices are the n most probable labels, got " + n);
        }
        boolean logprobs = bool(json, "logprobs");
        int top = integer(json, "top_logprobs", 0);
        if (top < 0 || top > MAX_TOP_LOGPROBS) {
            throw bad("invalid-value", "top_logprobs", "'top_logprobs' must be between 0 and " + MAX_TOP_LOGPROBS
                    + ", got " + top);
        }
        if (json.hasNonNull("top_logprobs") && !logprobs) {
            throw bad("invalid-value", "top_logprobs", "'top_logprobs' needs 'logprobs': true");
        }
        boolean stream = bool(json, "stream");
        boolean includeUsage = false;
        JsonNode options = json.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw bad("invalid-field-type", "stream_options", "'stream_options' must be an object");
            }
            if (!stream) {
                throw bad("invalid-value", "stream_options", "'stream_options' is only allowed with 'stream': true");
            }
            includeUsage = bool(options, "include_usage");
        }
        return new ChatOptions(model, n, logprobs, top, stream, includeUsage);
    }

    private static int integer(JsonNode json, String field, int absent) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw bad("invalid-field-type", field, "'" + field + "' must be an integer, got " + JsonRequestBody.typeOf(v));
        }
        return v.intValue();
    }

    private static boolean bool(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw bad("invalid-field-type", field, "'" + field + "' must be a boolean, got " + JsonRequestBody.typeOf(v));
        }
        return v.booleanValue();
    }

    private static OpenAiRequestException bad(String code, String param, String message) {
        return OpenAiRequestException.badRequest(code, param, message);
    }
}
