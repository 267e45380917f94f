package dev.distillery.student.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The OpenAI {@code chat.completion} object, as far as a classifier can fill it.
 *
 * @param checkpoint extension: the checkpoint version that answered ({@code null} = untrained base)
 */
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
        Usage usage, @JsonProperty("system_fingerprint") String systemFingerprint, Long checkpoint) {

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
