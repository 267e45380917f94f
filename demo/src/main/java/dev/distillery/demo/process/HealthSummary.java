package dev.distillery.demo.process;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A short reason why a service is not ready, from its SmallRye Health answer: {@code " (trainer DOWN: state=failed)"}. */
public final class HealthSummary {

    private HealthSummary() {
    }

    static String downChecks(HttpJson.Answer answer) {
        if (answer.status() < 0) {
            return "";
        }
        try {
            JsonNode health = HttpJson.mapper().readTree(answer.body());
            List<String> down = new ArrayList<>();
            for (JsonNode check : health.path("checks")) {
                if (!"UP".equals(check.path("status").asText())) {
                    StringBuilder text = new StringBuilder(check.path("name").asText("?")).append(" DOWN");
                    JsonNode data = check.get("data");
                    if (data != null && data.isObject()) {
                        List<String> pairs = new ArrayList<>();
                        data.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
                        text.append(": ").append(String.join(", ", pairs));
                    }
                    down.add(text.toString());
                }
            }
            return down.isEmpty() ? "" : " (" + String.join("; ", down) + ")";
        } catch (Exception e) {
            return "";
        }
    }
}
