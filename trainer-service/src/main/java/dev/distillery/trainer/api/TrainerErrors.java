package dev.distillery.trainer.api;

import static dev.distillery.http.ApiExceptionMappers.error;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.distillery.trainer.runtime.NothingToCheckpointException;
import dev.distillery.trainer.runtime.TrainerNotReadyException;

/** The trainer's own failures as {@link dev.distillery.http.ApiError}s; the shared ones are common's mappers. */
public class TrainerErrors {

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

    /** Query parameters are parsed by the resources, which name what is wrong (split, limit...). */
    @ServerExceptionMapper
    public Response badRequest(IllegalArgumentException e) {
        return error(400, "invalid-request", e.getMessage());
    }
}
