package dev.distillery.student.api;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.http.ApiException;
import dev.distillery.http.JsonRequestBody;
import dev.distillery.text.TextRule;

/**
 * The body of {@code POST /v1/classify/batch}: both its documented schema and what {@link #parse} makes of the bytes.
 *
 * @param texts  one to {@code distillery.student.max-batch} texts, each meeting the common {@link TextRule}
 * @param policy {@code student} or {@code cascade}; null for the configured default
 */
public record ClassifyBatchRequest(@Schema(required = true) List<String> texts,
        @Schema(enumeration = { "student", "cascade" }, description = "default: distillery.student.policy")
        String policy) {

    public static ClassifyBatchRequest parse(byte[] body, TextRule rule, int maxBatch) {
        JsonNode json = JsonRequestBody.parseObject(body);
        JsonNode node = json.get("texts");
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("missing-texts", "field 'texts' is required (an array of strings)");
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("invalid-field-type",
                    "field 'texts' must be an array of strings, got " + JsonRequestBody.typeOf(node));
        }
        if (node.isEmpty()) {
            throw ApiException.badRequest("empty-batch", "field 'texts' must hold at least one text");
        }
        if (node.size() > maxBatch) {
            throw new ApiException(413, "batch-too-large", "the batch has " + node.size() + " texts; the limit is " + maxBatch);
        }
        List<String> texts = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            texts.add(ClassifyRequest.text(node.get(i), "texts[" + i + "]", rule));
        }
        return new ClassifyBatchRequest(List.copyOf(texts), ClassifyRequest.policy(json));
    }
}
