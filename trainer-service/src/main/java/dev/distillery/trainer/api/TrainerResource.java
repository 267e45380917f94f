package dev.distillery.trainer.api;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.distillery.trainer.config.DistilleryConfig;
import dev.distillery.trainer.runtime.TrainingLoop;
import dev.distillery.trainer.runtime.TrainerStatus;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/trainer")
@Produces(MediaType.APPLICATION_JSON)
public class TrainerResource {

    private final TrainingLoop trainer;
    private final DistilleryConfig config;

    public TrainerResource(TrainingLoop trainer, DistilleryConfig config) {
        this.trainer = trainer;
        this.config = config;
    }

    @GET
    @Operation(summary = "Examples seen, rounds, loss, held-out agreement with the teacher, last checkpoint, device")
    public TrainerStatus status() {
        return trainer.status();
    }

    @POST
    @Path("/checkpoint")
    @Blocking
    @Operation(summary = "Forces a round over the waiting examples and a checkpoint",
            description = "Publishes when there is no checkpoint yet, with gate.always-publish, or when the candidate's "
                    + "held-out agreement is at least the last published one's (the min-agreement-delta is waived, "
                    + "a regression never is). Returns the status after the round; lastDecision says what happened.")
    @APIResponse(responseCode = "200", description = "The round ran; see lastDecision and lastCheckpoint")
    @APIResponse(responseCode = "409", description = "No valid example yet (error: nothing-to-checkpoint)")
    @APIResponse(responseCode = "503", description = "The model is not loaded yet (error: trainer-not-ready)")
    public TrainerStatus checkpoint() throws Throwable {
        try {
            return trainer.forceCheckpoint().get(config.trainer().forceTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            throw new RoundTimeoutException("the training thread did not finish the forced round within "
                    + config.trainer().forceTimeout());
        }
    }
}
