package dev.distillery.teacher.api;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;


import dev.distillery.http.ApiError;
import dev.distillery.http.ApiException;
import dev.distillery.messages.LabeledExample;
import dev.distillery.teacher.kafka.OutcomePublisher;
import dev.distillery.teacher.labeling.Labeler;
import dev.distillery.teacher.labeling.Outcome;
import dev.distillery.text.TextRule;

/**
 * POST /v1/label: labels one text synchronously. Without {@code publish} nothing is published (evaluation,
 * debugging); with {@code "publish": true}, the call a cascading student makes for a query it defers, the outcome also
 * goes to {@code distill.labeled} (marked {@code origin: deferral}) or {@code distill.rejected}, as a streamed query's
 * would.
 */
@Path("/v1/label")
public class LabelResource {

    private static final Logger LOG = Logger.getLogger(LabelResource.class);

    private final Labeler labeler;
    private final TextRule rule;
    private final OutcomePublisher publisher;

    public LabelResource(Labeler labeler, TextRule rule, OutcomePublisher publisher) {
        this.labeler = labeler;
        this.rule = rule;
        this.publisher = publisher;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Label one text with the teacher; publish=true also publishes it to distill.labeled (a deferral)")
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
        Payloads.LabelRequest request = Payloads.LabelRequest.parse(body, rule);
        boolean publish = request.publish();
        String text = request.text();
        Outcome outcome = labeler.label(id, text);
        if (outcome instanceof Outcome.Labeled l && publish) {
            outcome = new Outcome.Labeled(l.example().withOrigin(LabeledExample.ORIGIN_DEFERRAL));
        }
        Boolean published = publish ? publish(outcome, text) : null;
        return switch (outcome) {
            case Outcome.Labeled l -> new Payloads.LabelResponse(l.example().label(), l.example().response(),
                    l.example().latencyMs(), published,
                    l.example().usage() == null ? 0 : l.example().usage().promptTokens());
            case Outcome.Rejection r -> throw new ApiException(502, r.reason().code(), r.detail());
        };
    }

    /** The answer does not depend on the broker: a publish that fails is reported in the response, not as an error. */
    private boolean publish(Outcome outcome, String text) {
        try {
            publisher.publish(outcome, text.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("deferral %s not published: %s", outcome.id(), e.toString());
            return false;
        }
    }
}
