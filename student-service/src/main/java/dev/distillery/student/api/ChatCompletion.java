package dev.distillery.student.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The OpenAI {@code chat.completion} object, as far as a classifier can fill it.
 *
 * @param checkpoint extension: the checkpoint version the student used ({@code null} = none or the untrained base)
 * @param answeredBy extension: {@code student} or {@code teacher} (the cascade deferred the query), as on
 *                   {@code /v1/classify}
 * @param deferred   extension: why the student did not answer alone, as on {@code /v1/classify}; absent for a
 *                   confident or student-policy answer
 */
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
        Usage usage, @JsonProperty("system_fingerprint") String systemFingerprint, Long checkpoint, String answeredBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) String deferred) {

    public record Choice(int index, Message message, Object logprobs,
            @JsonProperty("finish_reason") String finishReason) {
    }

    public record Message(String role, String content) {
    }

    /**
     * Tokens actually processed: {@code prompt_tokens} is the query as the student read it (no task prompt, after
     * truncation to the model's maximum length); {@code completion_tokens} is the answer template with the label.
     */
    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("completion_tokens") int completionTokens,
            @JsonProperty("total_tokens") int totalTokens) {
    }
}
