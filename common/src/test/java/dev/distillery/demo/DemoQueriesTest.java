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
import java.util.Set;

import org.junit.jupiter.api.Test;

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
}
