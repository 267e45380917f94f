package dev.distillery.task.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.distillery.task.TaskSpec;

class LanguageIdRulesTest {

    private final LanguageIdRules rules = new LanguageIdRules();

    static Stream<Arguments> sentences() {
        return Stream.of(
                // Step 2: the script decides.
                Arguments.of("ar", "ذهبت إلى السوق صباح اليوم لشراء الخبز والحليب."),
                Arguments.of("ur", "میں کل صبح بازار گیا اور روٹی خریدی۔"),
                Arguments.of("ur", "یہ ایک اچھا دن ہے"),
                Arguments.of("el", "Η βιβλιοθήκη κλείνει στις οκτώ το βράδυ."),
                Arguments.of("hi", "मैं कल सुबह बाज़ार गया था।"),
                Arguments.of("ru", "Привет, как дела?"),
                Arguments.of("ru", "Вчера вечером мы долго гуляли по парку."),
                Arguments.of("ru", "Вчера вечерта се разхождахме дълго в парка."), // Bulgarian: Cyrillic is ru
                Arguments.of("ru", "Вчора ввечері ми довго гуляли парком."), // Ukrainian
                Arguments.of("zh", "我昨天晚上在公园里散步了很久。"),
                Arguments.of("zh", "我們昨天晚上在公園裡散步。"), // Traditional characters are zh too
                Arguments.of("zh", "谢谢"), // the script settles even very short text
                Arguments.of("ot", "เมื่อวานเราเดินเล่นในสวนสาธารณะ"), // Thai
                Arguments.of("ot", "שלום, מה שלומך היום?"), // Hebrew
                Arguments.of("ot", "어제 공원에서 오래 산책했어요."), // Korean
                Arguments.of("ot", "昨日は公園で長く散歩しました。"), // Japanese: kana with Han
                Arguments.of("ot", "გამარჯობა, როგორ ხარ?"), // Georgian
                // Step 3: Latin-script evidence.
                Arguments.of("en", "Where is the train station?"),
                Arguments.of("en", "I wasn't even thinking about that, but I was so frustrated."),
                Arguments.of("de", "Ich habe heute keine Zeit, weil ich arbeiten muss."),
                Arguments.of("de", "Das ist ein Buch"),
                Arguments.of("es", "¿Dónde está la estación?"),
                Arguments.of("es", "Mañana vamos a la playa con los niños."),
                Arguments.of("fr", "Je ne pensais même pas à cela, mais j'étais si frustré."),
                Arguments.of("fr", "Il fait très beau aujourd'hui à Paris."),
                Arguments.of("tr", "Bugün hava çok güzel, parka gidelim mi?"),
                Arguments.of("tr", "Bu kitabı okumak için zamanım yok."),
                Arguments.of("vi", "Hôm nay trời đẹp, chúng ta đi dạo nhé."),
                Arguments.of("vi", "Tôi yêu Việt Nam"),
                Arguments.of("ot", "Naye akasema, Mama, niko nyumbani kwa sasa."), // Swahili
                Arguments.of("ot", "Saya tidak tahu apa yang harus dilakukan dengan ini."), // Indonesian
                Arguments.of("ot", "Non so cosa fare con questa situazione, grazie."), // Italian
                Arguments.of("ot", "Eu não sei o que fazer com você agora."), // Portuguese
                Arguments.of("ot", "Ik weet niet wat ik moet doen met dit boek."), // Dutch
                Arguments.of("ot", "Nie wiem, co mam zrobić z tą książką."), // Polish
                Arguments.of("ot", "Minä en tiedä mitä tehdä tämän asian kanssa huomenna."), // Finnish (ä is not German)
                Arguments.of("ot", "Nem tudom, hogy mit csináljak ezzel a könyvvel holnap."), // Hungarian
                Arguments.of("ot", "Nu știu ce să fac mâine dimineață cu această carte."), // Romanian
                Arguments.of("ot", "Jeg ved ikke hvad jeg skal gøre med denne bog i morgen."), // Danish
                Arguments.of("en", "Machine learning models require large datasets."),
                // Content words no lexicon lists: endings and everyday words carry the evidence.
                Arguments.of("de", "Am Samstag bleibt die Bibliothek wegen Renovierung geschlossen."),
                Arguments.of("es", "Ayer cancelaron varias excursiones por la tormenta."),
                Arguments.of("fr", "Quel train part demain matin pour Lyon ?"),
                Arguments.of("tr", "Bu suyu içmeden önce kaynatmak gerekiyor mu?"),
                Arguments.of("vi", "Bà ngoại tôi trồng rau ở sân sau."), // grave and circumflex are Vietnamese here
                Arguments.of("ot", "Os meus amigos chegaram ontem de Lisboa."), // Portuguese, not Spanish
                Arguments.of("ot", "Mae'r trên yn hwyr heddiw eto."), // Welsh
                // Step 4: hard cases.
                Arguments.of("ot", "ok"),
                Arguments.of("ot", "Merci beaucoup"), // two words
                Arguments.of("ot", "hola"),
                Arguments.of("ot", "Main tumse bahut pyaar karta hoon yaar"), // romanized Hindi
                Arguments.of("ot", "Privet, kak dela? Spasibo, horosho."), // romanized Russian
                Arguments.of("ot", "Ni hao, wo shi zhongguo ren, xiexie"), // pinyin
                Arguments.of("ot", "Yalla habibi, inshallah shukran ya akhi"), // romanized Arabic
                Arguments.of("ot", "Je suis very happy today mon ami"), // mixed without majority
                Arguments.of("ot", "Привет, hello"), // mixed scripts
                Arguments.of("ot", "lol omg haha ok bye"), // slang
                Arguments.of("ot", "Coca-Cola Zero Sugar"), // brands
                // Step 1: what is disregarded.
                Arguments.of("ot", "https://example.org 😀 2024-05-01"),
                Arguments.of("ot", "1234567890"),
                Arguments.of("ot", "!!! ??? ..."),
                Arguments.of("ot", "@username #hashtag"),
                Arguments.of("ot", "  "),
                Arguments.of("en", "Check out https://example.com/path?q=1 and mail me at bob@example.com when you can"),
                Arguments.of("de", "@anna Ich habe das neue Video gesehen, es ist wirklich gut! #toll 😀"),
                Arguments.of("ot", "print('hello')  # ciao a tutti"), // the prompt's own example
                Arguments.of("ot", "public static void main(String[] args)"),
                Arguments.of("fr", "print('Bonjour tout le monde')"),
                Arguments.of("en", "#include <stdio.h> // This program prints hello world"),
                Arguments.of("ru", "cout << 'Привет мир';"),
                Arguments.of("en", "x = compute(y)  # we compute the value before the loop starts"),
                Arguments.of("ru", "Я купил новый iPhone вчера"), // a brand inside another script
                Arguments.of("de", "def add(a, b):\n    # Addiert zwei Zahlen und gibt das Ergebnis zurück\n    return a + b"),
                Arguments.of("fr", "<p>Bienvenue sur notre site, merci de votre visite.</p>"),
                Arguments.of("en", "Open /usr/local/bin/tool and read the manual before you start"));
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("sentences")
    void followsThePromptRules(String expected, String text) {
        assertEquals(expected, rules.classify(text), () -> rules.explain(text).reason());
    }

    @Test
    void nullIsOt() {
        assertEquals("ot", rules.classify(null));
    }

    @Test
    void everyAnswerIsALabelOfTheBuiltInTask() {
        TaskSpec task = TaskSpec.languageId();
        assertEquals(task.labels(), LanguageIdRules.LABELS);
        sentences().forEach(a -> assertTrue(task.hasLabel(rules.classify((String) a.get()[1]))));
    }

    @Test
    void isDeterministic() {
        String text = "Pekala, bunu hiç düşünmemiştim ancak kafam çok karıştı.";
        assertEquals(rules.classify(text), rules.classify(text));
        assertEquals("tr", rules.classify(text));
    }
}
