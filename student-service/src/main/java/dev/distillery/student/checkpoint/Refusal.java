package dev.distillery.student.checkpoint;

import java.time.Instant;

/** The last checkpoint the student refused and why (shown by {@code GET /v1/model}). */
public record Refusal(Long version, String reason, String message, Instant at) {
}
