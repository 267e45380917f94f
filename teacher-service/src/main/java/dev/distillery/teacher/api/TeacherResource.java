package dev.distillery.teacher.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.distillery.task.TaskSpec;
import dev.distillery.teacher.labeling.Teacher;

/** GET /v1/teacher: which task, teacher and prompt (by sha256) this service labels with. */
@Path("/v1/teacher")
public class TeacherResource {

    private final Payloads.TeacherDescription description;

    public TeacherResource(TaskSpec task, Teacher teacher) {
        this.description = new Payloads.TeacherDescription(task.name(), teacher.kind(), teacher.model(),
                task.promptSha256(), task.labels());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Describe the task, teacher kind, model and prompt sha256")
    public Payloads.TeacherDescription describe() {
        return description;
    }
}
