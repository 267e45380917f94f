package dev.distillery.student.api;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.http.ApiException;
import dev.distillery.http.JsonRequestBody;
import dev.distillery.student.config.StudentConfig;

/** What a text to classify must be: a non-blank string of well-formed Unicode, at most {@code max-text-chars} long. */
@ApplicationScoped
public class TextRules {

    private final int maxChars;
    private final int maxBatch;

    public TextRules(StudentConfig config) {
        this.maxChars = config.student().maxTextChars();
        this.maxBatch = Math.max(1, config.student().maxBatch());
    }

    public int maxChars() {
        return maxChars;
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
        if (text.isBlank()) {
            throw ApiException.badRequest("empty-text", name + " is empty");
        }
        int chars = text.codePointCount(0, text.length());
        if (chars > maxChars) {
            throw new ApiException(413, "text-too-long",
                    name + " has " + chars + " characters; the limit is " + maxChars);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // Reachable through JSON escapes such as "\ud800": not encodable as UTF-8, so not a text.
                throw ApiException.badRequest("invalid-unicode",
                        name + " holds an unpaired surrogate at index " + i + "; it cannot be encoded as UTF-8");
            }
        }
        return text;
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
