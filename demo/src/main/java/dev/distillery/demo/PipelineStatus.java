package dev.distillery.demo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One look at the running pipeline: counts read from the topics, the trainer's {@code GET /v1/trainer} and the
 * student's {@code GET /v1/model}. Fields the services did not answer are null.
 */
record PipelineStatus(
        long sent,
        long labeled,
        long rejected,
        long checkpointsPublished,
        Long trainerRounds,
        Long trainerExamplesSeen,
        Double trainerAgreement,
        Long trainerCheckpointVersion,
        Double trainerCheckpointAgreement,
        Long studentCheckpointVersion) {

    /** Every query came back from the teacher, labeled or rejected. */
    boolean teacherDone() {
        return sent > 0 && labeled + rejected >= sent;
    }

    static PipelineStatus of(long sent, TopicCounter counter, JsonNode trainer, JsonNode model) {
        Long rounds = null;
        Long seen = null;
        Double agreement = null;
        Long trainerVersion = null;
        Double trainerCheckpointAgreement = null;
        if (trainer != null && trainer.isObject()) {
            rounds = longOrNull(trainer.get("rounds"));
            seen = longOrNull(trainer.get("examplesSeen"));
            agreement = doubleOrNull(trainer.get("heldOutAgreement"));
            JsonNode last = trainer.get("lastCheckpoint");
            if (last != null && last.isObject()) {
                trainerVersion = longOrNull(last.get("version"));
                trainerCheckpointAgreement = doubleOrNull(last.get("heldOutAgreement"));
            }
        }
        Long studentVersion = null;
        if (model != null && model.isObject()) {
            JsonNode checkpoint = model.get("checkpoint");
            if (checkpoint != null && checkpoint.isObject()) {
                studentVersion = longOrNull(checkpoint.get("version"));
            }
        }
        return new PipelineStatus(sent, counter.labeled(), counter.rejected(), counter.checkpoints(), rounds, seen,
                agreement, trainerVersion, trainerCheckpointAgreement, studentVersion);
    }

    static Long longOrNull(JsonNode node) {
        return node == null || !node.isNumber() ? null : node.asLong();
    }

    static Double doubleOrNull(JsonNode node) {
        return node == null || !node.isNumber() ? null : node.asDouble();
    }
}
