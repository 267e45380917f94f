package dev.distillery.task.language;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step 1 of the language-id prompt: strips what carries no language (web addresses, e-mail addresses, file paths,
 * handles, hashtags, markup) and, when the text is program code, keeps only its comments and string literals.
 * Digits, emojis and symbols need no removal: only letters are counted later.
 */
final class TextCleaner {

    private static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.CASE_INSENSITIVE;

    private static final Pattern URL = Pattern.compile(
            "\\b(?:https?|ftp|file|wss?)://\\S+|\\bwww\\.\\S+"
                    + "|\\b[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:com|org|net|io|dev|edu|gov|info|co|uk|de|fr|es|ru|cn|tr|vn|in|pk|gr|eu|app|ai)"
                    + "(?:/\\S*)?(?![\\w.])",
            FLAGS);
    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+", FLAGS);
    private static final Pattern HANDLE_OR_TAG = Pattern.compile("(?<![\\w@#])[@#][\\w.]*\\w", FLAGS);
    private static final Pattern PATH = Pattern.compile(
            "(?<!\\S)(?:~?/[\\w.@-]+(?:/[\\w.@-]*)*|\\.{1,2}/\\S+|[a-z]:\\\\\\S*|\\\\\\\\\\S+)"
                    + "|\\b[\\w.-]+(?:/[\\w.-]+){2,}"
                    + "|\\b[\\w-]+\\.(?:txt|pdf|docx?|xlsx?|csv|json|ya?ml|xml|html?|java|py|js|ts|go|rs|cpp|c|h|sh|md|png|jpe?g|gif|zip|exe|log)\\b",
            FLAGS);
    private static final Pattern MARKUP = Pattern.compile("</?[a-z][\\w-]*(?:\\s[^<>]*)?/?>|&[a-z]+;|```\\w*", FLAGS);

    /**
     * Signals that text is program code. A strong one alone decides; weak ones need company, so prose with a
     * parenthesis or a semicolon stays prose.
     */
    private static final List<Pattern> STRONG_CODE_SIGNALS = List.of(
            Pattern.compile("#include\\b|#define\\b|\\bpublic\\s+static\\b|\\b(?:def|function|func)\\s+\\w+\\s*\\("),
            Pattern.compile("(?m)^\\s*(?:print|printf|println|puts|echo|console\\.log|System\\.out\\.print(?:ln)?|"
                    + "fmt\\.Print(?:ln|f)?|alert|cout\\s*<<)\\s*[('\"<]"),
            Pattern.compile("\\b(?:if|for|while|switch)\\s*\\(.*\\)\\s*\\{"),
            Pattern.compile("\\b(?:SELECT\\s.+\\sFROM|INSERT\\s+INTO|DELETE\\s+FROM|CREATE\\s+TABLE)\\b"));
    private static final List<Pattern> WEAK_CODE_SIGNALS = List.of(
            Pattern.compile("\\b(?:const|let|var|val|int|auto|String|double|float|bool|boolean)\\s+\\w+\\s*[=;]"
                    + "|(?m)^\\s*(?:import|from|package|using)\\s+[\\w.]+|\\bclass\\s+\\w+\\s*[:({]|\\breturn\\b[^.!?]*;"
                    + "|\\b(?:public|private|protected)\\s+\\w+\\s+\\w+\\s*[(;=]"),
            Pattern.compile("\\b(?:print|printf|println|puts|console\\.log|System\\.out|cout|void|None|nullptr|self\\.)"),
            Pattern.compile("\\w\\((?:[^()]*)\\)"),
            Pattern.compile("[{}]|(?m);\\s*$"),
            Pattern.compile("[\\w\\])]\\s*(?:==|!=|<=|>=|=>|->|\\+=|-=|:=|&&|\\|\\||<<|\\+\\+)|\\b\\w+\\s*=\\s*[\\w'\"\\[{(]"),
            Pattern.compile("(?:^|\\s)(?://|/\\*)|<!--|(?m)^\\s*#\\s"),
            Pattern.compile("\\b\\w+(?:\\.\\w+)+\\(|\\w+\\[[\\w'\"]*\\]|\\b[a-z]+_\\w+\\b|\\b[a-z]+[A-Z]\\w*\\("));
    private static final Pattern COMMENT = Pattern.compile(
            "/\\*(.*?)\\*/|<!--(.*?)-->|(?://|(?<![\\w&])#(?!include|define|!)|(?<!\\S)--)([^\\n]*)", Pattern.DOTALL);
    private static final Pattern STRING_LITERAL = Pattern.compile(
            "\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"|'((?:[^'\\\\\\n]|\\\\.)*)'|`((?:[^`\\\\]|\\\\.)*)`", Pattern.DOTALL);
    private static final Pattern INTERPOLATION = Pattern.compile("\\$?\\{[^}]*\\}|%[sdif]|\\\\[ntr]");

    private TextCleaner() {
    }

    static String clean(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFC).strip();
        s = URL.matcher(s).replaceAll(" ");
        s = EMAIL.matcher(s).replaceAll(" ");
        s = PATH.matcher(s).replaceAll(" ");
        if (looksLikeCode(s)) {
            s = naturalLanguageInCode(s);
        }
        s = MARKUP.matcher(s).replaceAll(" ");
        s = HANDLE_OR_TAG.matcher(s).replaceAll(" ");
        return s.strip();
    }

    static boolean looksLikeCode(String s) {
        int score = 0;
        for (Pattern p : STRONG_CODE_SIGNALS) {
            if (p.matcher(s).find()) {
                score += 2;
            }
        }
        for (Pattern p : WEAK_CODE_SIGNALS) {
            if (p.matcher(s).find()) {
                score++;
            }
        }
        return score >= 2;
    }

    /** Comments first (they may hold apostrophes), then string literals from what is left. */
    private static String naturalLanguageInCode(String code) {
        List<String> kept = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        Matcher c = COMMENT.matcher(code);
        int last = 0;
        while (c.find()) {
            rest.append(code, last, c.start()).append('\n');
            for (int g = 1; g <= c.groupCount(); g++) {
                if (c.group(g) != null) {
                    kept.add(c.group(g));
                }
            }
            last = c.end();
        }
        rest.append(code.substring(last));
        Matcher m = STRING_LITERAL.matcher(rest);
        while (m.find()) {
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null) {
                    kept.add(INTERPOLATION.matcher(m.group(g)).replaceAll(" "));
                }
            }
        }
        return String.join("\n", kept);
    }
}
