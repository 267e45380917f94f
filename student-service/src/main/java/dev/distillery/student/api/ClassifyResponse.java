package dev.distillery.student.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * @param scores     the top-k labels by probability ({@code distillery.student.top-k}; absent when 0)
 * @param checkpoint the checkpoint version that answered; {@code null} for the untrained base
 * @param tokens     tokens the model processed for this text (all its windows, with their special tokens)
 */
public record ClassifyResponse(String label, double confidence,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<LabelScore> scores, Long checkpoint, double latencyMs,
        int tokens) {
}
