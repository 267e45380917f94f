package dev.distillery.student.api;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.http.ApiError;
import dev.distillery.http.ApiException;
import dev.distillery.http.JsonRequestBody;
import dev.distillery.student.cascade.CascadeAnswer;
import dev.distillery.student.cascade.CascadePolicy;
import dev.distillery.student.serving.StudentSetup;
import dev.distillery.task.TaskSpec;

/**
 * OpenAI-compatible chat completions, so a client of the prompted teacher can switch its base URL to the student.
 * The last {@code user} message is the query; system and developer messages (where the client used to send the task
 * prompt P) and earlier turns are ignored: the student learned P, so the prompt is not needed any more. The answer is
 * the task's answer template with the predicted label, e.g. {@code Final Answer: en}. The configured serving policy
 * ({@code distillery.student.policy}) applies: under the cascade an unsure answer comes from the teacher (the model
 * name then ends in {@code -teacher}).
 */
@Path("/v1/chat/completions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ChatCompletionsResource {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    private final CascadePolicy policy;
    private final TextRules rules;
    private final TaskSpec task;
    private final Map<String, Integer> answerTokens = new HashMap<>();

    public ChatCompletionsResource(CascadePolicy policy, TextRules rules, StudentSetup setup) {
        this.policy = policy;
        this.rules = rules;
        this.task = setup.task();
        for (String label : task.labels()) {
            answerTokens.put(label, setup.base().countTokens(task.formatAnswer(label)));
        }
    }

    @POST
    @Operation(summary = "OpenAI-compatible chat completion: the last user message is classified; the prompt is not needed")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ChatRequest.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ChatCompletion.class)))
    @APIResponse(responseCode = "400", description = "malformed body, no user message, unknown role, bad content,"
            + " stream=true", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "the user message is longer than distillery.student.max-text-chars",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "no checkpoint loaded yet, or overloaded",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<ChatCompletion> complete(byte[] body) {
        JsonNode json = JsonRequestBody.parseObject(body);
        JsonNode model = json.get("model");
        if (model != null && !model.isNull() && !model.isTextual()) {
            throw ApiException.badRequest("invalid-field-type", "'model' must be a string, got " + JsonRequestBody.typeOf(model));
        }
        JsonNode stream = json.get("stream");
        if (stream != null && !stream.isNull()) {
            if (!stream.isBoolean()) {
                throw ApiException.badRequest("invalid-field-type", "'stream' must be a boolean");
            }
            if (stream.booleanValue()) {
                throw ApiException.badRequest("stream-not-supported",
                        "streaming is not supported: the answer is a single classification");
            }
        }
        String query = lastUserMessage(json.get("messages"));
        return policy.answer(List.of(query), policy.defaultPolicy()).thenApplyAsync(result -> {
            CascadeAnswer a = result.answers().get(0);
            int promptTokens = a.student() == null ? 0 : a.student().tokens();
            String answer = task.formatAnswer(a.label());
            int completionTokens = answerTokens.getOrDefault(a.label(), 0);
            Long version = result.checkpoint();
            String modelName = CascadeAnswer.BY_TEACHER.equals(a.answeredBy()) ? task.name() + "-teacher"
                    : task.name() + "-student-" + (version == null ? "untrained" : "v" + version);
            return new ChatCompletion("chatcmpl-" + UUID.randomUUID(), "chat.completion",
                    Instant.now().getEpochSecond(), modelName,
                    List.of(new ChatCompletion.Choice(0, new ChatCompletion.Message("assistant", answer), null, "stop")),
                    new ChatCompletion.Usage(promptTokens, completionTokens, promptTokens + completionTokens),
                    version == null ? "untrained-base" : "checkpoint-v" + version, version);
        }, RequestContextExecutor.current());
    }

    private String lastUserMessage(JsonNode messages) {
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
        String query = null;
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
            if ("user".equals(role.textValue())) {
                query = content(message.get("content"), name + ".content");
            }
        }
        if (query == null) {
            throw ApiException.badRequest("no-user-message", "'messages' holds no user message to classify");
        }
        return rules.check(query, "the last user message");
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

    /** Documentation of the request (the body is parsed by {@link dev.distillery.http.JsonRequestBody}); other OpenAI fields are ignored. */
    public record ChatRequest(String model, @Schema(required = true) List<ChatMessage> messages, Boolean stream) {
    }

    public record ChatMessage(@Schema(required = true, enumeration = { "system", "developer", "user", "assistant", "tool" })
            String role, String content) {
    }
}
