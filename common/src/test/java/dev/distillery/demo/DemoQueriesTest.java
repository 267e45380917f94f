package dev.distillery.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.distillery.task.language.LanguageIdRules;

/** The built-in demo query set that {@code ./distillery demo} streams: present, large enough, clean. */
class DemoQueriesTest {

    static final String RESOURCE = "/dev/distillery/demo/queries.txt";

    private static String text() throws IOException {
        try (InputStream in = DemoQueriesTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, "resource " + RESOURCE + " is missing");
            byte[] bytes = in.readAllBytes();
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new AssertionError("queries.txt is not valid UTF-8", e);
            }
        }
    }

    @Test
    void hasAtLeast1500NonBlankLinesWithoutDuplicates() throws IOException {
        List<String> lines = text().lines().filter(line -> !line.isBlank()).toList();
        assertTrue(lines.size() >= 1500, "only " + lines.size() + " queries");
        Set<String> seen = new HashSet<>();
        List<String> duplicates = lines.stream().filter(line -> !seen.add(line.strip())).toList();
        assertEquals(List.of(), duplicates, "duplicate queries");
    }

    @Test
    void coversEveryScriptOfTheLabelSet() throws IOException {
        String text = text();
        // One sample per writing system the labels depend on: Arabic, Devanagari, Greek, Cyrillic, Han, Urdu-only letters.
        for (String probe : List.of("ع", "न", "λ", "ж", "的", "ے", "ñ", "ß", "ğ", "ư", "ç")) {
            assertTrue(text.contains(probe), "no query contains " + probe);
        }
        assertTrue(text.lines().noneMatch(line -> line.contains("\r")), "CR line endings");
    }

    /**
     * The stream teaches every label: the rules teacher gives each of the 13 labels at least 4% of the lines, and
     * short (under 40 characters) and long (120 and more) texts are both well represented, as users send them.
     */
    @Test
    void everyTeacherLabelAndLengthIsWellRepresented() throws IOException {
        List<String> lines = text().lines().filter(line -> !line.isBlank()).toList();
        LanguageIdRules rules = new LanguageIdRules();
        Map<String, Integer> byLabel = new TreeMap<>();
        lines.forEach(line -> byLabel.merge(rules.classify(line), 1, Integer::sum));
        for (String label : LanguageIdRules.LABELS) {
            int n = byLabel.getOrDefault(label, 0);
            assertTrue(n >= 0.04 * lines.size(), label + " has " + n + " of " + lines.size() + " lines: " + byLabel);
        }
        long shortLines = lines.stream().filter(line -> line.length() < 40).count();
        long longLines = lines.stream().filter(line -> line.length() >= 120).count();
        assertTrue(shortLines >= 0.2 * lines.size(), shortLines + " short lines");
        assertTrue(longLines >= 0.04 * lines.size(), longLines + " lines of 120+ characters");
    }
}
