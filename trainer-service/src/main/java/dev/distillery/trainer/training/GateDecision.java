package dev.distillery.trainer.training;

/** Whether a round's candidate becomes a checkpoint, and why (logged and shown by GET /v1/trainer). */
public record GateDecision(boolean publish, String reason) {

    static GateDecision publish(String reason) {
        return new GateDecision(true, reason);
    }

    static GateDecision refuse(String reason) {
        return new GateDecision(false, reason);
    }
}
