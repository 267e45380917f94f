package dev.distillery.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A student trained on short sentences only answers a paragraph, or 2,000 characters, as it answers one sentence of
 * it: the whole text is read (in windows) and nothing the short form relies on is cut away.
 */
class LongTextTest {

    private static StudentModel model;

    @BeforeAll
    static void train() {
        model = StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), MultilingualSamples.LABELS, "cpu", 7);
        MultilingualSamples.train(model, MultilingualSamples.generate(1300, 1), 2, 32, 3e-3, 1);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void twoThousandCharactersOfGreekAreGreekLikeTheirFirstSentence() {
        String sentence = "Σήμερα το σπίτι είναι μεγάλο και η πόλη είναι όμορφη.";
        String paragraph = String.join(" ", "Σήμερα το σπίτι είναι μεγάλο και η πόλη είναι όμορφη.",
                "Οι άνθρωποι δεν έχουν χρόνο για δουλειά, γιατί ο καιρός είναι καλός.",
                "Στο λιμάνι περιμένουν τα πλοία που θα πάνε στα νησιά το πρωί.",
                "Ευχαριστώ πολύ για τη βοήθεια, θα τα πούμε αύριο στο γραφείο.");
        StringBuilder text = new StringBuilder();
        while (text.length() < 2000) {
            text.append(paragraph).append(' ');
        }
        assertSameAnswer("el", sentence, text.substring(0, 2000));
    }

    @Test
    void aGermanParagraphIsGermanLikeItsFirstSentence() {
        String sentence = "Die Stadt will das Haus am Markt nicht verkaufen.";
        String paragraph = sentence + " Der Bürgermeister sagte am Dienstag, dass die Gemeinde das alte Gebäude "
                + "selbst nutzen möchte, zum Beispiel für eine Bibliothek oder für Kurse der Volkshochschule. Viele "
                + "Anwohner sind auch dafür, weil es in der Innenstadt kaum Räume für Vereine gibt. Über die Kosten "
                + "soll der Rat im Herbst entscheiden; bis dahin bleibt das Haus für Besucher geschlossen.";
        assertSameAnswer("de", sentence, paragraph);
    }

    private static void assertSameAnswer(String language, String shortText, String longText) {
        List<Prediction> p = model.predict(List.of(shortText, longText));
        assertEquals(language, p.get(0).label(), "the short form");
        assertEquals(p.get(0).label(), p.get(1).label(), "the long form (" + longText.length() + " chars, "
                + p.get(1).tokens() + " tokens) answers as the short one");
    }
}
