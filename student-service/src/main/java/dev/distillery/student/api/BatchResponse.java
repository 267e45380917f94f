package dev.distillery.student.api;

import java.util.List;

/** One result per text, in request order, all from the same checkpoint. */
public record BatchResponse(List<ClassifyResponse> results, Long checkpoint, double latencyMs) {
}
