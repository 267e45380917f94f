package dev.distillery.teacher.api;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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

import dev.distillery.http.ApiError;
import dev.distillery.messages.Query;
import dev.distillery.teacher.config.DistilleryConfig;
import dev.distillery.teacher.kafka.OutcomePublisher;
import dev.distillery.text.TextRule;

/** POST /v1/queries: publishes queries to distill.queries for users without a Kafka client. */
@Path("/v1/queries")
public class QueryResource {

    private final OutcomePublisher publisher;
    private final TextRule rule;
    private final int maxBatch;
    private final Clock clock = Clock.systemUTC();

    public QueryResource(OutcomePublisher publisher, TextRule rule, DistilleryConfig config) {
        this.publisher = publisher;
        this.rule = rule;
        this.maxBatch = config.teacher().maxBatch();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit queries for labeling", description = "Publishes each text as a Query to the queries "
            + "topic once the broker has acknowledged it; labeling happens asynchronously.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Payloads.SubmitRequest.class)))
    @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation = Payloads.SubmitResponse.class)))
    @APIResponse(responseCode = "400", description = "empty-body, malformed-json, invalid-utf8, invalid-body, invalid-request, empty-text, invalid-unicode, forbidden-character",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "text-too-long, too-many-texts",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response submit(byte[] body) {
        List<String> texts = Payloads.SubmitRequest.parse(body, rule, maxBatch).all();
        List<Query> queries = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            queries.add(Query.of(UUID.randomUUID().toString(), texts.get(i), clock.instant()));
        }
        publisher.submit(queries);
        return Response.accepted(new Payloads.SubmitResponse(queries.size(), queries.stream().map(Query::id).toList()))
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
