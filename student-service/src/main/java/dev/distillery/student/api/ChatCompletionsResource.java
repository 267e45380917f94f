package dev.distillery.student.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.distillery.http.JsonRequestBody;
import dev.distillery.text.TextRule;
import dev.distillery.student.config.StudentConfig;
import dev.distillery.student.openai.ChatAnswers;
import dev.distillery.student.openai.ChatOptions;
import dev.distillery.student.openai.ChatRequest;
import dev.distillery.student.openai.OpenAiError;
import dev.distillery.student.cascade.CascadePolicy;
import dev.distillery.student.serving.StudentSetup;
import dev.distillery.task.TaskSpec;

/**
 * OpenAI-compatible chat completions, so a client of the prompted teacher can switch its base URL to the student.
 * The last {@code user} message is the query; system and developer messages (where the client used to send the task
 * prompt P) and earlier turns are ignored: the student learned P, so the prompt is not needed any more. The answer is
 * the task's answer template with the predicted label, e.g. {@code Final Answer: en}; the request options and the
 * answer's shape (n, logprobs, streaming, usage, model names) are in {@link ChatOptions} and {@link ChatAnswers},
 * errors leave in OpenAI's shape ({@link dev.distillery.student.openai.OpenAiErrors}). The configured serving policy
 * ({@code distillery.student.policy}) applies, as to {@code /v1/classify} without {@code policy}: under the cascade an
 * unsure answer comes from the teacher (and is published for the trainer); the answer says so in {@code model},
 * {@code system_fingerprint} and {@code answeredBy}.
 */
@Path("/v1/chat/completions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ChatCompletionsResource {

    private final CascadePolicy policy;
    private final TextRule rules;
    private final TaskSpec task;
    private final ChatAnswers answers;
    private final ObjectMapper json;
    private final boolean strictModel;

    public ChatCompletionsResource(CascadePolicy policy, TextRule rules, StudentSetup setup, ObjectMapper json,
            StudentConfig config) {
        this.policy = policy;
        this.rules = rules;
        this.task = setup.task();
        this.answers = new ChatAnswers(task);
        this.json = json;
        this.strictModel = config.student().strictModel();
    }

    @POST
    @Produces({ MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS })
    @Operation(summary = "OpenAI-compatible chat completion: the last user message is classified; the prompt is not needed")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ChatRequest.class)))
    @APIResponse(responseCode = "200", description = "a chat.completion, or with stream=true server-sent events: one"
            + " chat.completion.chunk per choice, a usage chunk if stream_options.include_usage, then [DONE]",
            content = @Content(schema = @Schema(implementation = ChatCompletion.class)))
    @APIResponse(responseCode = "400", description = "malformed body, no user message, unknown role, bad content,"
            + " n, logprobs, top_logprobs or stream_options out of range",
            content = @Content(schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "404", description = "'model' names another model (model-not-found; only with"
            + " distillery.student.strict-model=true)",
            content = @Content(schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "413", description = "the user message is longer than distillery.student.max-text-chars",
            content = @Content(schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "503", description = "no checkpoint loaded yet (student policy, or the teacher failed),"
            + " overloaded, or teacher-unavailable (cascade with on-teacher-failure=error)",
            content = @Content(schema = @Schema(implementation = OpenAiError.class)))
    public CompletionStage<Response> complete(byte[] body) {
        ChatRequest request = ChatRequest.parse(body);
        ChatOptions options = ChatOptions.of(request, task, strictModel);
        String query = JsonRequestBody.acceptedText(rules, request.lastUserText(), "the last user message");
        return policy.answer(List.of(query), policy.defaultPolicy()).thenApplyAsync(result -> {
            ChatCompletion completion = answers.completion(result.answers().getFirst(), result.checkpoint(), options);
            if (!options.stream()) {
                return Response.ok(completion, MediaType.APPLICATION_JSON_TYPE).build();
            }
            return Response.ok(events(answers.chunks(completion, options)), MediaType.SERVER_SENT_EVENTS_TYPE)
                    .header("Cache-Control", "no-cache").build();
        }, RequestContextExecutor.current());
    }

    /** The whole stream at once: the answer exists complete when the forward pass returns. */
    private String events(List<ChatAnswers.Chunk> chunks) {
        StringBuilder out = new StringBuilder();
        try {
            for (ChatAnswers.Chunk chunk : chunks) {
                out.append("data: ").append(json.writeValueAsString(chunk)).append("\n\n");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chunk not serialisable", e);
        }
        return out.append("data: [DONE]\n\n").toString();
    }
}
