package dev.distillery.teacher.api;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.http.ApiException;
import dev.distillery.http.JsonRequestBody;
import dev.distillery.text.TextRule;

/** Request and response bodies of the teacher's HTTP API (see API.md); the request records parse their bodies. */
public final class Payloads {

    private Payloads() {
    }

    /** The body of POST /v1/queries: its documented schema, and what {@link #parse} makes of the bytes. */
    @Schema(description = "One query in text, or several in texts (exactly one of the two)")
    public record SubmitRequest(String text, List<String> texts) {

        public static SubmitRequest parse(byte[] body, TextRule rule, int maxBatch) {
            JsonNode json = JsonBody.object(body);
            boolean one = json.has("text");
            if (one == json.has("texts")) {
                throw ApiException.badRequest("invalid-request", "give exactly one of \"text\" or \"texts\"");
            }
            if (one) {
                return new SubmitRequest(JsonRequestBody.acceptedText(rule, JsonBody.string(json, "text"), "text"), null);
            }
            JsonNode array = json.get("texts");
            if (!array.isArray()) {
                throw ApiException.badRequest("invalid-request", "field \"texts\" must be an array of strings");
            }
            if (array.isEmpty()) {
                throw ApiException.badRequest("empty-text", "field \"texts\" is empty");
            }
            if (array.size() > maxBatch) {
                throw new ApiException(413, "too-many-texts",
                        "texts has " + array.size() + " entries; the limit is " + maxBatch);
            }
            for (int i = 0; i < array.size(); i++) {
                if (!array.get(i).isTextual()) {
                    throw ApiException.badRequest("invalid-request", "texts[" + i + "] must be a string");
                }
            }
            List<String> texts = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                texts.add(JsonRequestBody.acceptedText(rule, array.get(i).asText(), "texts[" + i + "]"));
            }
            return new SubmitRequest(null, List.copyOf(texts));
        }

        /** The queries' texts, one or several. */
        public List<String> all() {
            return text != null ? List.of(text) : texts;
        }
    }

    public record SubmitResponse(int accepted, List<String> ids) {
    }

    @Schema(description = "publish=true (a student's deferral) also publishes the labeled example to distill.labeled,"
            + " marked origin=deferral, so the trainer learns from it; without it nothing is published")
    public record LabelRequest(String text, Boolean publish) {

        /** What POST /v1/label makes of its body: publish is false when absent. */
        public static LabelRequest parse(byte[] body, TextRule rule) {
            JsonNode json = JsonBody.object(body);
            boolean publish = JsonBody.optionalBoolean(json, "publish");
            return new LabelRequest(JsonRequestBody.acceptedText(rule, JsonBody.string(json, "text"), "text"), publish);
        }
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
