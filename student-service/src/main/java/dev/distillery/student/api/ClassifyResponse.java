package dev.distillery.student.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * @param confidence the student's probability of its arg-max label (null when no checkpoint was served)
 * @param margin     that probability minus the runner-up's (null when no checkpoint was served)
 * @param scores     the student's top-k labels by probability ({@code distillery.student.top-k}; absent when 0 or when
 *                   no checkpoint was served)
 * @param checkpoint the checkpoint version the student used; {@code null} for the untrained base or none
 * @param tokens     tokens the model processed for this text (all its windows, with their special tokens)
 * @param answeredBy {@code student} or {@code teacher}
 * @param deferred   why the student did not answer alone ({@code below-threshold}, {@code no-threshold},
 *                   {@code no-checkpoint}), or {@code teacher-unavailable} when the student answers because the teacher
 *                   failed; absent for a confident or student-policy answer
 * @param threshold  the served checkpoint's cascade threshold on the configured score; absent when it has none or
 *                   under the student policy
 */
public record ClassifyResponse(String label, Double confidence,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double margin,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<LabelScore> scores, Long checkpoint, double latencyMs,
        int tokens, String answeredBy, @JsonInclude(JsonInclude.Include.NON_NULL) String deferred,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double threshold) {
}
