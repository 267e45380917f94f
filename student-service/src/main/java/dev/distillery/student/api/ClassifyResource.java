package dev.distillery.student.api;

import java.util.List;
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

import dev.distillery.http.ApiError;
import dev.distillery.student.cascade.CascadePolicy;
import dev.distillery.student.cascade.ServingPolicy;
import dev.distillery.student.config.StudentConfig;
import dev.distillery.text.TextRule;

/**
 * Classification without the prompt: the student answers from the text alone, or, under the cascade policy, defers
 * what it is unsure of to the teacher. Requests are queued on the micro-batcher and teacher calls are asynchronous,
 * so the IO thread never waits on the model or the teacher.
 */
@Path("/v1/classify")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ClassifyResource {

    private final CascadePolicy policy;
    private final TextRule rule;
    private final int maxBatch;
    private final Answers answers;

    public ClassifyResource(CascadePolicy policy, TextRule rule, StudentConfig config, Answers answers) {
        this.policy = policy;
        this.rule = rule;
        this.maxBatch = Math.max(1, config.student().maxBatch());
        this.answers = answers;
    }

    @POST
    @Operation(summary = "Classify one text with the current checkpoint")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ClassifyRequest.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ClassifyResponse.class)))
    @APIResponse(responseCode = "400", description = "malformed JSON, invalid UTF-8, missing/empty text, wrong type",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "text longer than distillery.student.max-text-chars",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "no checkpoint loaded yet (student policy, or the teacher failed),"
            + " overloaded, or teacher-unavailable (cascade with on-teacher-failure=error)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<ClassifyResponse> classify(byte[] body) {
        long started = System.nanoTime();
        ClassifyRequest request = ClassifyRequest.parse(body, rule);
        ServingPolicy serving = policy.resolve(request.policy());
        return policy.answer(List.of(request.text()), serving).thenApplyAsync(
                result -> answers.classify(result.answers().get(0), result.checkpoint(), started),
                RequestContextExecutor.current());
    }

    @POST
    @Path("/batch")
    @Operation(summary = "Classify up to distillery.student.max-batch texts in one forward pass")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ClassifyBatchRequest.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BatchResponse.class)))
    @APIResponse(responseCode = "400", description = "malformed body, empty batch, a missing/empty/non-string text",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "more texts than distillery.student.max-batch, or a text too long",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "no checkpoint loaded yet (student policy, or the teacher failed),"
            + " overloaded, or teacher-unavailable (cascade with on-teacher-failure=error)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<BatchResponse> classifyBatch(byte[] body) {
        long started = System.nanoTime();
        ClassifyBatchRequest request = ClassifyBatchRequest.parse(body, rule, maxBatch);
        ServingPolicy serving = policy.resolve(request.policy());
        return policy.answer(request.texts(), serving).thenApplyAsync(result -> new BatchResponse(
                result.answers().stream()
                        .map(a -> answers.classify(a, result.checkpoint(), started)).toList(),
                result.checkpoint(), Answers.millisSince(started)), RequestContextExecutor.current());
    }
}
