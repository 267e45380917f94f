package dev.distillery.teacher.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the teacher's HTTP API (see API.md). */
public final class Payloads {

    private Payloads() {
    }

    @Schema(description = "One query in text, or several in texts (exactly one of the two)")
    public record SubmitRequest(String text, List<String> texts) {
    }

    public record SubmitResponse(int accepted, List<String> ids) {
    }

    public record LabelRequest(String text) {
    }

    public record LabelResponse(String label, String response, long latencyMs) {
    }

    public record TeacherDescription(String task, String kind, String model, String promptSha256, List<String> labels) {
    }
}
