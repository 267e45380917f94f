package dev.distillery.student.openai;

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

    /** The request's options, checked against the task. @param strictModel refuse a {@code model} that is not the
     *  student's (distillery.student.strict-model) */
    public static ChatOptions of(ChatRequest request, TaskSpec task, boolean strictModel) {
        if (strictModel && request.model() != null) {
            ChatModelName.check(task, request.model());
        }
        int labels = task.labels().size();
        int n = request.n() == null ? 1 : request.n();
        if (n < 1 || n > labels) {
            throw bad("invalid-value", "n", "'n' must be between 1 and " + labels + " (the task's labels): the n"
                    + " choices are the n most probable labels, got " + n);
        }
        boolean logprobs = Boolean.TRUE.equals(request.logprobs());
        int top = request.topLogprobs() == null ? 0 : request.topLogprobs();
        if (top < 0 || top > MAX_TOP_LOGPROBS) {
            throw bad("invalid-value", "top_logprobs", "'top_logprobs' must be between 0 and " + MAX_TOP_LOGPROBS
                    + ", got " + top);
        }
        if (request.topLogprobs() != null && !logprobs) {
            throw bad("invalid-value", "top_logprobs", "'top_logprobs' needs 'logprobs': true");
        }
        boolean stream = Boolean.TRUE.equals(request.stream());
        if (request.streamOptions() != null && !stream) {
            throw bad("invalid-value", "stream_options", "'stream_options' is only allowed with 'stream': true");
        }
        boolean includeUsage = request.streamOptions() != null
                && Boolean.TRUE.equals(request.streamOptions().includeUsage());
        return new ChatOptions(request.model(), n, logprobs, top, stream, includeUsage);
    }

    private static OpenAiRequestException bad(String code, String param, String message) {
        return OpenAiRequestException.badRequest(code, param, message);
    }
}
