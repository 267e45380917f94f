package dev.distillery.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AgreementTallyTest {

    @Test
    void countsAgreementByReferenceLabelAndLengthAndTheAnswersGiven() {
        AgreementTally tally = new AgreementTally();
        assertTrue(Double.isNaN(tally.agreement()));
        tally.add("hola amigo", "es", "es");
        tally.add("bonjour", "fr", "ot");
        tally.add("x".repeat(90), "ot", "ot");
        tally.add("y".repeat(250), "ot", "es");
        assertEquals(4, tally.total());
        assertEquals(0.5, tally.agreement(), 1e-12);
        assertEquals(Map.of("es", 1.0, "fr", 0.0, "ot", 0.5), tally.byLabel());
        assertEquals(Map.of("es", 1, "fr", 1, "ot", 2), tally.countByLabel());
        assertEquals(Map.of("es", 2, "ot", 2), tally.answeredByLabel(), "what the student said, not the reference");
        assertEquals(Map.of("<40", 0.5, "80-120", 1.0, "200+", 0.0), tally.byLength());
        assertEquals(Map.of("<40", 2, "80-120", 1, "200+", 1), tally.countByLength());
    }
}
