package dev.distillery.http;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ExceptionUnwrapStrategy;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.UnwrapException;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The exception mappers every service shares: every error leaves as {@link ApiError} JSON with a stable code, client
 * mistakes as 4xx, only server faults as 5xx. A service maps its own exceptions (model not ready, round timeout...)
 * in its api package with {@link #error}; asynchronous failures arrive wrapped and are mapped by their cause.
 */
@UnwrapException(value = { CompletionException.class, ExecutionException.class },
        strategy = ExceptionUnwrapStrategy.ALWAYS)
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return error(e.status(), e.error(), e.getMessage());
    }

    /** Body-binding failures the framework raises itself (bodies are read as bytes by {@link JsonRequestBody}). */
    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return error(400, "malformed-json", "the request body is not valid JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        String code = switch (status) {
            case 400 -> "bad-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "body-too-large";
            case 415 -> "unsupported-media-type";
            default -> status >= 500 ? "internal-error" : "http-" + status;
        };
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return error(status, code, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return error(500, "internal-error", "unexpected server error: " + e.getClass().getSimpleName());
    }

    /** The {@link ApiError} response: what every mapper of every service returns. */
    public static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status, code, message)).build();
    }
}
