package dev.distillery.trainer.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.distillery.http.ApiError;
import dev.distillery.trainer.runtime.NothingToCheckpointException;
import dev.distillery.trainer.runtime.TrainerNotReadyException;

/** Every error leaves as {@link ApiError} with a stable kebab-case code. */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response notReady(TrainerNotReadyException e) {
        return error(503, "trainer-not-ready", e.getMessage());
    }

    @ServerExceptionMapper
    public Response nothingToCheckpoint(NothingToCheckpointException e) {
        return error(409, "nothing-to-checkpoint", e.getMessage());
    }

    @ServerExceptionMapper
    public Response roundTimeout(RoundTimeoutException e) {
        return error(504, "round-timeout", e.getMessage());
    }

    @ServerExceptionMapper
    public Response kafkaUnavailable(org.apache.kafka.common.errors.TimeoutException e) {
        return error(503, "kafka-unavailable", "the Kafka broker did not answer: " + e.getMessage());
    }

    @ServerExceptionMapper
    public Response badRequest(IllegalArgumentException e) {
        return error(400, "invalid-request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 400 -> "invalid-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 415 -> "unsupported-media-type";
            default -> status >= 500 ? "internal-error" : "http-" + status;
        };
        return error(status, code, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected error", e);
        return error(500, "internal-error", "unexpected error: " + e.getClass().getSimpleName());
    }

    static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status, code, message)).build();
    }
}
