package dev.distillery.student.api;

import static dev.distillery.http.ApiExceptionMappers.error;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.distillery.http.ApiError;
import dev.distillery.http.ApiExceptionMappers;
import dev.distillery.student.cascade.TeacherUnavailableException;
import dev.distillery.student.serving.InferenceException;
import dev.distillery.student.serving.ModelNotReadyException;
import dev.distillery.student.serving.NoPreviousModelException;
import dev.distillery.student.serving.OverloadedException;
import dev.distillery.student.serving.StudentSetup;

/**
 * The student's own failures as {@link ApiError}s (with {@code Retry-After} where waiting helps); the shared ones
 * (bad bodies, unknown routes, unexpected faults, wrapped async failures) are common's {@link ApiExceptionMappers}.
 */
public class StudentErrors {

    private static final Logger LOG = Logger.getLogger(StudentErrors.class);

    private final StudentSetup setup;

    public StudentErrors(StudentSetup setup) {
        this.setup = setup;
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
}
