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

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.http.ApiError;
import dev.distillery.http.JsonRequestBody;
import dev.distillery.student.serving.MicroBatcher;

/**
 * Classification without the prompt: the student answers from the text alone. Requests are queued on the
 * micro-batcher, so the IO thread never waits on the model.
 */
@Path("/v1/classify")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ClassifyResource {

    private final MicroBatcher batcher;
    private final TextRules rules;
    private final Answers answers;

    public ClassifyResource(MicroBatcher batcher, TextRules rules, Answers answers) {
        this.batcher = batcher;
        this.rules = rules;
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
    @APIResponse(responseCode = "503", description = "no checkpoint loaded yet, or overloaded",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<ClassifyResponse> classify(byte[] body) {
        long started = System.nanoTime();
        JsonNode json = JsonRequestBody.parseObject(body);
        String text = rules.requireText(json, "text");
        return batcher.submit(List.of(text)).thenApplyAsync(
                inference -> answers.classify(inference.predictions().get(0), inference.version(), started),
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
    @APIResponse(responseCode = "503", description = "no checkpoint loaded yet, or overloaded",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<BatchResponse> classifyBatch(byte[] body) {
        long started = System.nanoTime();
        JsonNode json = JsonRequestBody.parseObject(body);
        List<String> texts = rules.requireTexts(json, "texts");
        return batcher.submit(texts).thenApplyAsync(inference -> new BatchResponse(
                inference.predictions().stream()
                        .map(p -> answers.classify(p, inference.version(), started)).toList(),
                inference.version(), Answers.millisSince(started)), RequestContextExecutor.current());
    }

    /** Documentation of the request body (bodies are parsed by {@link dev.distillery.http.JsonRequestBody} for precise errors). */
    public record ClassifyRequest(@Schema(required = true, maxLength = 4000) String text) {
    }

    public record ClassifyBatchRequest(@Schema(required = true) List<String> texts) {
    }
}
