package dev.distillery.student.api;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.distillery.http.ApiError;
import dev.distillery.http.ApiException;
import dev.distillery.student.cascade.TeacherUnavailableException;
import dev.distillery.student.serving.InferenceException;
import dev.distillery.student.serving.ModelNotReadyException;
import dev.distillery.student.serving.NoPreviousModelException;
import dev.distillery.student.serving.OverloadedException;
import dev.distillery.student.serving.StudentSetup;

/** Every error leaves as {@link ApiError} JSON with a stable code; only server faults are 5xx. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    private final StudentSetup setup;

    public ErrorMappers(StudentSetup setup) {
        this.setup = setup;
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return error(e.status(), e.error(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response notReady(ModelNotReadyException e) {
        return Response.fromResponse(error(503, "model-not-ready", "no checkpoint of task " + setup.task().name()
                + " has been loaded yet (" + e.getMessage() + "); the student only serves verified checkpoints"
                + " unless distillery.student.serve-untrained-base=true")).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response teacherUnavailable(TeacherUnavailableException e) {
        return Response.fromResponse(error(503, "teacher-unavailable", "the student deferred to the teacher, which did"
                + " not answer (" + e.kind() + "): " + e.getMessage()
                + "; distillery.student.cascade.on-teacher-failure=error")).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response overloaded(OverloadedException e) {
        return Response.fromResponse(error(503, "overloaded", e.getMessage())).header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    public Response noPrevious(NoPreviousModelException e) {
        return error(409, "no-previous-checkpoint", e.getMessage());
    }

    @ServerExceptionMapper
    public Response inference(InferenceException e) {
        LOG.error("inference failed", e);
        return error(500, "inference-failed", "the model failed on this request");
    }

    /** Body-binding failures the framework raises itself (should not happen: bodies are read as bytes). */
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

    /** Async failures arrive wrapped; unwrap and map the cause like a direct throw. */
    @ServerExceptionMapper({ CompletionException.class, ExecutionException.class })
    public Response wrapped(Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof ApiException api) {
            return api(api);
        }
        if (cause instanceof ModelNotReadyException notReady) {
            return notReady(notReady);
        }
        if (cause instanceof OverloadedException overloaded) {
            return overloaded(overloaded);
        }
        if (cause instanceof TeacherUnavailableException teacher) {
            return teacherUnavailable(teacher);
        }
        if (cause instanceof NoPreviousModelException noPrevious) {
            return noPrevious(noPrevious);
        }
        if (cause instanceof InferenceException inference) {
            return inference(inference);
        }
        if (cause instanceof WebApplicationException web) {
            return web(web);
        }
        return unexpected(cause);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return error(500, "internal-error", "unexpected server error");
    }

    static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status, code, message)).build();
    }
}
