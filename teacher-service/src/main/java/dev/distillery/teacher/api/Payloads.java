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

    @Schema(description = "publish=true (a student's deferral) also publishes the labeled example to distill.labeled,"
            + " marked origin=deferral, so the trainer learns from it; without it nothing is published")
    public record LabelRequest(String text, Boolean publish) {
    }

    /**
     * @param published only for publish=true: whether the example reached distill.labeled (false when the broker did
     *                  not acknowledge it in time; the answer is still right)
     * @param promptTokens prompt tokens the teacher reported for this call (0 when it does not count them)
     */
    public record LabelResponse(String label, String response, long latencyMs,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            Boolean published, long promptTokens) {
    }

    public record TeacherDescription(String task, String kind, String model, String promptSha256, List<String> labels) {
    }
}
