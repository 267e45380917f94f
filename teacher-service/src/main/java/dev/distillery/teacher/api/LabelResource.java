package dev.distillery.teacher.api;

import java.util.UUID;

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
import dev.distillery.http.ApiException;
import dev.distillery.http.JsonRequestBody;
import dev.distillery.teacher.labeling.Labeler;
import dev.distillery.teacher.labeling.Outcome;
import dev.distillery.text.TextRule;

/** POST /v1/label: labels one text synchronously without publishing anything (evaluation, debugging). */
@Path("/v1/label")
public class LabelResource {

    private final Labeler labeler;
    private final TextRule rule;

    public LabelResource(Labeler labeler, TextRule rule) {
        this.labeler = labeler;
        this.rule = rule;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Label one text with the teacher, without publishing it")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Payloads.LabelRequest.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Payloads.LabelResponse.class)))
    @APIResponse(responseCode = "400", description = "empty-body, malformed-json, invalid-utf8, invalid-body, invalid-request, empty-text, invalid-unicode, forbidden-character",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "text-too-long",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "502", description = "teacher-failed, answer-truncated, teacher-refused,"
            + " answer-unparseable, label-not-in-set",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Payloads.LabelResponse label(byte[] body) {
        String id = UUID.randomUUID().toString();
        String text = JsonRequestBody.acceptedText(rule, JsonBody.string(JsonBody.object(body), "text"), "text");
        return switch (labeler.label(id, text)) {
            case Outcome.Labeled l -> new Payloads.LabelResponse(l.example().label(), l.example().response(),
                    l.example().latencyMs());
            case Outcome.Rejection r -> throw new ApiException(502, r.reason().code(), r.detail());
        };
    }
}
