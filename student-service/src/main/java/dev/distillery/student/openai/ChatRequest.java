package dev.distillery.student.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.http.ApiException;
import dev.distillery.http.JsonRequestBody;

/**
 * The body of {@code POST /v1/chat/completions}: both its documented schema and what {@link #parse} makes of the
 * bytes. Read by hand rather than bound by the framework, so every way a body can be wrong gets its own code and
 * OpenAI's {@code param}; other OpenAI fields (temperature, max_tokens, ...) are accepted and ignored. Field types are
 * checked here, their ranges against the task in {@link ChatOptions#of}.
 */
public record ChatRequest(String model, @Schema(required = true) List<ChatMessage> messages, Integer n,
        Boolean logprobs, @JsonProperty("top_logprobs") Integer topLogprobs, Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions) {

    static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }

    /** @param content a string, or text parts joined by newlines; only user messages' contents are read */
    public record ChatMessage(@Schema(required = true, enumeration = { "system", "developer", "user", "assistant", "tool" })
            String role, String content) {
    }

    public static ChatRequest parse(byte[] body) {
        JsonNode json = JsonRequestBody.parseObject(body);
        String model = string(json, "model");
        Integer n = integer(json, "n");
        Boolean logprobs = bool(json, "logprobs");
        Integer top = integer(json, "top_logprobs");
        Boolean stream = bool(json, "stream");
        StreamOptions streamOptions = null;
        JsonNode options = json.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw bad("invalid-field-type", "stream_options", "'stream_options' must be an object");
            }
            streamOptions = new StreamOptions(bool(options, "include_usage"));
        }
        return new ChatRequest(model, messages(json.get("messages")), n, logprobs, top, stream, streamOptions);
    }

    /** The text to classify: the last user message's. */
    public String lastUserText() {
        String text = null;
        for (ChatMessage message : messages) {
            if ("user".equals(message.role())) {
                text = message.content();
            }
        }
        if (text == null) {
            throw ApiException.badRequest("no-user-message", "'messages' holds no user message to classify");
        }
        return text;
    }

    private static List<ChatMessage> messages(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw ApiException.badRequest("missing-messages", "field 'messages' is required");
        }
        if (!messages.isArray()) {
            throw ApiException.badRequest("invalid-field-type",
                    "'messages' must be an array, got " + JsonRequestBody.typeOf(messages));
        }
        if (messages.isEmpty()) {
            throw ApiException.badRequest("empty-messages", "'messages' must hold at least one user message");
        }
        List<ChatMessage> parsed = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String name = "messages[" + i + "]";
            if (!message.isObject()) {
                throw ApiException.badRequest("invalid-message", name + " must be an object, got " + JsonRequestBody.typeOf(message));
            }
            JsonNode role = message.get("role");
            if (role == null || role.isNull()) {
                throw ApiException.badRequest("missing-role", name + " has no 'role'");
            }
            if (!role.isTextual() || !ROLES.contains(role.textValue())) {
                throw ApiException.badRequest("invalid-role", name + ".role must be one of " + ROLES.stream().sorted().toList()
                        + ", got " + (role.isTextual() ? "'" + role.textValue() + "'" : JsonRequestBody.typeOf(role)));
            }
            boolean user = "user".equals(role.textValue());
            parsed.add(new ChatMessage(role.textValue(), user ? content(message.get("content"), name + ".content") : null));
        }
        return List.copyOf(parsed);
    }

    /** A string, or an array of {@code {"type":"text","text":...}} parts joined by newlines. */
    private static String content(JsonNode content, String name) {
        if (content == null || content.isNull()) {
            throw ApiException.badRequest("missing-content", name + " is required for a user message");
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw ApiException.badRequest("invalid-field-type",
                    name + " must be a string or an array of text parts, got " + JsonRequestBody.typeOf(content));
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            JsonNode type = part.get("type");
            if (!part.isObject() || type == null || !"text".equals(type.asText()) || part.get("text") == null
                    || !part.get("text").isTextual()) {
                throw ApiException.badRequest("unsupported-content",
                        name + "[" + i + "] must be {\"type\":\"text\",\"text\":\"...\"}; only text parts are supported");
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(part.get("text").textValue());
        }
        return text.toString();
    }

    private static String string(JsonNode json, String field) {
        return typed(json, field, JsonNode::isTextual, "a string", JsonNode::textValue);
    }

    private static Integer integer(JsonNode json, String field) {
        return typed(json, field, v -> v.isIntegralNumber() && v.canConvertToInt(), "an integer", JsonNode::intValue);
    }

    private static Boolean bool(JsonNode json, String field) {
        return typed(json, field, JsonNode::isBoolean, "a boolean", JsonNode::booleanValue);
    }

    /** An optional field's value: null when absent or null; {@code invalid-field-type} when it is not {@code kind}. */
    private static <T> T typed(JsonNode json, String field, java.util.function.Predicate<JsonNode> is, String kind,
            java.util.function.Function<JsonNode, T> value) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!is.test(v)) {
            throw bad("invalid-field-type", field,
                    "'" + field + "' must be " + kind + ", got " + JsonRequestBody.typeOf(v));
        }
        return value.apply(v);
    }

    private static OpenAiRequestException bad(String code, String param, String message) {
        return OpenAiRequestException.badRequest(code, param, message);
    }
}
