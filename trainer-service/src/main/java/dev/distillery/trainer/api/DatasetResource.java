package dev.distillery.trainer.api;

import java.util.Map;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import dev.distillery.trainer.config.DistilleryConfig;
import dev.distillery.trainer.intake.ExampleValidator;
import dev.distillery.kafka.KafkaClients;
import dev.distillery.trainer.training.HeldOutSplit;
import dev.distillery.task.TaskSpec;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;

@Path("/v1/dataset")
public class DatasetResource {

    public static final String NDJSON = "application/x-ndjson";

    private final DistilleryConfig config;
    private final KafkaClients kafka;

    public DatasetResource(DistilleryConfig config,
            @Identifier(KafkaClients.DEFAULT_BROKER) Map<String, Object> kafka) {
        this.config = config;
        this.kafka = new KafkaClients(kafka);
    }

    @GET
    @Blocking
    @Produces(NDJSON)
    @Operation(summary = "The distillation dataset as JSON lines in chat format, without the prompt",
            description = "One {\"messages\":[{\"role\":\"user\",\"content\":q},{\"role\":\"assistant\",\"content\":r}]} "
                    + "per valid, distinct labeled example, read from the labeled topic up to its end at request time.")
    public StreamingOutput dataset(
            @Parameter(description = "all, train or held-out (the trainer's split by id hash)")
            @QueryParam("split") @DefaultValue("all") String split,
            @Parameter(description = "at most this many lines") @QueryParam("limit") String limitParam) {
        DatasetExport.Split which = DatasetExport.Split.parse(split);
        long limit = parseLimit(limitParam);
        TaskSpec task = TaskSpec.loadOrDefault(config.task().path());
        DatasetExport export = new DatasetExport(kafka, config.topics().labeled(),
                new ExampleValidator(task, config.trainer().requirePromptMatch()),
                new HeldOutSplit(config.trainer().heldOutPercent()));
        DatasetExport.Snapshot snapshot = export.open();
        return out -> export.write(snapshot, out, which, limit);
    }

    private static long parseLimit(String value) {
        if (value == null || value.isBlank()) {
            return Long.MAX_VALUE;
        }
        try {
            long limit = Long.parseLong(value.trim());
            if (limit >= 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("limit must be a non-negative integer, got " + value);
    }
}
