package dev.distillery.student.openai;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.distillery.student.serving.ModelSlots;
import dev.distillery.student.serving.ServedModel;
import dev.distillery.student.serving.StudentSetup;

/**
 * OpenAI's model list, which gateways and chat UIs call before anything else: the one model this student serves,
 * named {@code <task>-student}, with the base and the checkpoint version behind it (extensions to OpenAI's object).
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    private final ModelSlots slots;
    private final StudentSetup setup;

    public ModelsResource(ModelSlots slots, StudentSetup setup) {
        this.slots = slots;
        this.setup = setup;
    }

    /** An OpenAI {@code model} object. {@code version} is null while no checkpoint is served (untrained base or none). */
    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
            String base, @JsonProperty("base_sha256") String baseSha256, String task, List<String> labels,
            Long version, boolean ready) {
    }

    public record ModelList(String object, List<Model> data) {
    }

    @GET
    @Operation(summary = "OpenAI-compatible model list: the served student, its base and checkpoint version")
    public ModelList list() {
        return new ModelList("list", List.of(describe()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "OpenAI-compatible model retrieval")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Model.class)))
    @APIResponse(responseCode = "404", description = "not the served model",
            content = @Content(schema = @Schema(implementation = OpenAiError.class)))
    public Model get(@PathParam("id") String id) {
        ChatModelName.check(setup.task(), id);
        return describe();
    }

    private Model describe() {
        ServedModel current = slots.current().orElse(null);
        Long version = current == null ? null : current.version();
        long created = current == null || current.loadedAt() == null ? 0 : current.loadedAt().getEpochSecond();
        return new Model(ChatModelName.id(setup.task()), "model", created, "distillery", setup.base().id(),
                setup.base().sha256(), setup.task().name(), setup.task().labels(), version, current != null);
    }
}
