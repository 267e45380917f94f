package dev.distillery.demo.run;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One look at the running pipeline: counts read from the topics, the trainer's {@code GET /v1/trainer} and the
 * student's {@code GET /v1/model}. Fields the services did not answer are null.
 */
public record PipelineStatus(
        long sent,
        long labeled,
        long rejected,
        long checkpointsPublished,
        Long trainerRounds,
        Long trainerExamplesSeen,
        Double trainerAgreement,
        Long trainerCheckpointVersion,
        Double trainerCheckpointAgreement,
        Long studentCheckpointVersion,
        Double studentCheckpointAgreement) {

    /** Every query came back from the teacher, labeled or rejected. */
    boolean teacherDone() {
        return sent > 0 && labeled + rejected >= sent;
    }

    public static PipelineStatus of(long sent, TopicCounter counter, JsonNode trainer, JsonNode model) {
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
                // Re-scored on the whole held-out slice as it is now when the trainer could; else as published.
                trainerCheckpointAgreement = doubleOrNull(last.get("currentAgreement"));
                if (trainerCheckpointAgreement == null) {
                    trainerCheckpointAgreement = doubleOrNull(last.get("heldOutAgreement"));
                }
            }
        }
        // The trainer refreshes its status between batches of intake only; the newest announcement can be fresher.
        java.util.Map<String, Double> announced = counter == null ? java.util.Map.of() : counter.lastAnnouncedMetrics();
        Double announcedRounds = announced.get("rounds");
        if (announcedRounds != null && (rounds == null || announcedRounds.longValue() > rounds)) {
            rounds = announcedRounds.longValue();
            Double announcedSeen = announced.get("examplesSeen");
            seen = announcedSeen == null ? seen : Long.valueOf(announcedSeen.longValue());
            Double announcedAgreement = announced.get("heldOutAgreement");
            agreement = announcedAgreement == null ? agreement : announcedAgreement;
        }
        Long studentVersion = null;
        Double studentAgreement = null;
        if (model != null && model.isObject()) {
            JsonNode checkpoint = model.get("checkpoint");
            if (checkpoint != null && checkpoint.isObject()) {
                studentVersion = longOrNull(checkpoint.get("version"));
                studentAgreement = studentVersion == null ? null
                        : doubleOrNull(checkpoint.path("metrics").get("heldOutAgreement"));
            }
        }
        return new PipelineStatus(sent, counter == null ? 0 : counter.labeled(), counter == null ? 0 : counter.rejected(),
                counter == null ? 0 : counter.checkpoints(), rounds, seen,
                agreement, trainerVersion, trainerCheckpointAgreement, studentVersion, studentAgreement);
    }

    static Long longOrNull(JsonNode node) {
        return node == null || !node.isNumber() ? null : node.asLong();
    }

    static Double doubleOrNull(JsonNode node) {
        return node == null || !node.isNumber() ? null : node.asDouble();
    }
}
