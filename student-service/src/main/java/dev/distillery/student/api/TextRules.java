package dev.distillery.student.api;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.http.ApiException;
import dev.distillery.http.JsonRequestBody;
import dev.distillery.student.config.StudentConfig;
import dev.distillery.text.TextRule;

/**
 * The text fields of the student's requests: each must be a JSON string meeting the common {@link TextRule} (the
 * same rule the teacher applies to queries), at most {@code max-text-chars} long; batches at most {@code max-batch}.
 */
@ApplicationScoped
public class TextRules {

    private final TextRule rule;
    private final int maxBatch;

    public TextRules(StudentConfig config) {
        this.rule = new TextRule(config.student().maxTextChars());
        this.maxBatch = Math.max(1, config.student().maxBatch());
    }

    public int maxChars() {
        return rule.maxChars();
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** The {@code text} field of a request object. */
    String requireText(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("missing-text", "field '" + field + "' is required");
        }
        return check(node, field);
    }

    /** The {@code texts} field of a batch request. */
    List<String> requireTexts(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("missing-texts", "field '" + field + "' is required (an array of strings)");
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("invalid-field-type",
                    "field '" + field + "' must be an array of strings, got " + JsonRequestBody.typeOf(node));
        }
        if (node.isEmpty()) {
            throw ApiException.badRequest("empty-batch", "field '" + field + "' must hold at least one text");
        }
        if (node.size() > maxBatch) {
            throw new ApiException(413, "batch-too-large",
                    "the batch has " + node.size() + " texts; the limit is " + maxBatch);
        }
        List<String> texts = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            texts.add(check(node.get(i), field + "[" + i + "]"));
        }
        return texts;
    }

    /** A text from anywhere (e.g. a chat message), named for the error message. */
    String check(String text, String name) {
        return JsonRequestBody.acceptedText(rule, text, name);
    }

    private String check(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("missing-text", name + " is null");
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("invalid-field-type", name + " must be a string, got " + JsonRequestBody.typeOf(node));
        }
        return check(node.textValue(), name);
    }
}
