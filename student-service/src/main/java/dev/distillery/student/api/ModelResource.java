package dev.distillery.student.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.distillery.http.ApiError;
import dev.distillery.student.cascade.CascadeMetrics;
import dev.distillery.student.cascade.CascadePolicy;
import dev.distillery.student.checkpoint.CheckpointFollower;
import dev.distillery.student.serving.ModelSlots;
import dev.distillery.student.serving.ServedModel;
import dev.distillery.student.serving.StudentSetup;

@Path("/v1/model")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    private final ModelSlots slots;
    private final StudentSetup setup;
    private final CheckpointFollower follower;
    private final CascadePolicy policy;
    private final CascadeMetrics cascadeMetrics;

    public ModelResource(ModelSlots slots, StudentSetup setup, CheckpointFollower follower, CascadePolicy policy,
            CascadeMetrics cascadeMetrics) {
        this.slots = slots;
        this.setup = setup;
        this.follower = follower;
        this.policy = policy;
        this.cascadeMetrics = cascadeMetrics;
    }

    @GET
    @Operation(summary = "Base, task, labels and the checkpoint being served")
    public ModelInfo model() {
        return describe();
    }

    @POST
    @Path("/rollback")
    @Operation(summary = "Serve the previous checkpoint again; lasts until the next checkpoint is announced")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ModelInfo.class)))
    @APIResponse(responseCode = "409", description = "no previous checkpoint is kept",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public ModelInfo rollback() {
        slots.rollback();
        return describe();
    }

    private ModelInfo describe() {
        ServedModel current = slots.current().orElse(null);
        ModelInfo.Checkpoint checkpoint = current == null || current.version() == null ? null
                : new ModelInfo.Checkpoint(current.version(), current.metrics(), current.loadedAt(),
                        current.checkpointSha256());
        String device = setup.device();
        if (current != null) {
            try {
                device = current.model().device();
            } catch (RuntimeException e) {
                // closed concurrently by a swap: the configured device is still right
            }
        }
        return new ModelInfo(setup.base().id(), setup.base().sha256(), setup.task().name(), setup.task().labels(),
                checkpoint, current != null, setup.promptTokens(), current != null && current.version() == null,
                slots.previous().map(ServedModel::version).orElse(null), device, setup.base().maxLength(),
                follower.lastRefusal(), new ModelInfo.Cascade(policy.defaultPolicy().key(), policy.teacherConfigured(),
                        policy.score().key(), policy.servedThreshold().orElse(null), cascadeMetrics.totals()));
    }
}
