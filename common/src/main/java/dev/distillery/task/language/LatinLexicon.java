package dev.distillery.task.language;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Step 3 evidence for Latin-script text: frequent function words of the labeled languages, and of languages that
 * must come out {@code ot} (Latin languages outside the list and romanized Hindi, Arabic, Russian, Chinese), so that
 * such text is recognised as foreign instead of scoring an accidental hit for a labeled language.
 * Words are lower case, NFC, without apostrophes (contractions are split into their parts).
 */
final class LatinLexicon {

    /** Keys are labels ({@code vi tr de es fr en}) or, for the {@code ot} side, a tag naming the language. */
    static final Map<String, Set<String>> WORDS = new LinkedHashMap<>();

    static {
        WORDS.put("vi", words("""
                chúng tôi bị đâu sao khi nay hôm mai qua tối sáng chiều trưa giờ phút tuần tháng xe nước ăn uống
                mua bán học làm việc ngủ đi lại quá hơn nhất mới cũ đẹp tốt xấu nóng lạnh mưa trời hai ba bốn năm
                và của là có không một những các được cho với tôi anh em chị này đó người trong đã sẽ đang thì mà cũng
                rất nhưng khi như để về nói xin chào cảm ơn ở ra vào lại nhà con ông bà chúng ta mình họ gì nào đây
                đấy rồi nữa còn hay hoặc bạn vì nên nếu thế làm biết đi đến từ sau trước năm ngày việc nhiều lắm
                """));
        WORDS.put("tr", words("""
                acaba gerek gerekiyor lazım nereden nereye kaç hangi kim niçin nedir neler şey şeyi az veya ya üç dört
                beş altı yedi sekiz dokuz yüz bin sabah akşam gece öğle hafta ay yıl saat dakika otobüs tren araba ev
                okul iş su para yemek hava yağmur kar çocuk çocuklar arkadaş teşekkürler hoş yeni eski ucuz pahalı
                sıcak soğuk erken geç hemen bence sence göre karşı sonra kendi tüm bile hep yine şöyle böyle
                ve bir bu için değil çok da de ne mi mı mu mü ben sen o biz siz onlar var yok ile ama gibi daha en her
                şey olarak kadar sonra önce şimdi evet hayır nasıl neden nerede iyi bana beni seni sana ona onu bunu şu
                diye dedi olan oldu olduğu olduğunu ise hem hiç ki çünkü eğer yani merhaba teşekkür ederim lütfen tamam
                benim senin onun bizim bunun şunu bunlar şeyler değildi vardı yoktu misin musun miyim olur olmak etmek
                istiyorum biliyorum bilmiyorum zaman kendi başka bütün hepsi sadece ancak fakat belki artık hala
                gün bugün dün yarın anne baba evde oraya burada orada güzel büyük küçük
                """));
        WORDS.put("de", words("""
                am wegen gestern morgen abends morgens ab daran darauf davon dazu dafür zum vom beim ins mehrere
                mehreren hilft helfen bleibt bleiben sucht suchen neue neuen neues neuer alte alten jeden einige
                ihrem ihren ihrer seinem seinen seiner unsere unserer unseren welche welcher welches wann wieso
                nächste nächsten letzte letzten gern gerne lieber besser viele vielen wenig zwei drei vier fünf sechs
                sieben acht neun zehn uhr woche wochenende stunde stunden montag dienstag mittwoch donnerstag freitag
                samstag sonntag stadt straße wetter regen schnee zug kinder kind schule arbeit geld essen kaufen
                fahren machen macht gehe sieht liegt steht heißt findet möchte möchten könnte könnten darf mag
                neben hinter deshalb trotzdem also sondern bevor nachdem obwohl ob nie niemand jemand alles ganze
                ziemlich fast genau natürlich leider bald spät früh oft manchmal
                und der die das nicht ist ich mit ein eine einen einem einer zu den dem des von sie es er wir ihr auf
                für im sich auch an als aber so wie noch nur dass daß wenn oder wird werden wurde wurden sind war waren
                hat haben habe hatte hatten bin bist kann können konnte muss müssen mich mir dir dich uns euch was wer
                wo warum hier dort jetzt schon sehr nach bei aus um über unter vor zum zur kein keine keinen nein ja
                doch mal gut heute immer dann weil diese dieser dieses diesen man mehr alle gesagt daheim hause etwas
                nichts ganz viel gibt ihm ihn ihnen mein meine meinen dein deine sein seine ihre unser denn wieder
                einmal selbst würde hätte wäre gehen gemacht sagen sagte geht guten tag danke bitte freund
                kommt kommen kam mann frau kannst hören sehen wissen weiß will wollen soll sollte damit durch gegen
                ohne bis seit während zwischen jeder jede andere anderen zeit jahr jahre leute menschen wirklich
                eigentlich vielleicht jedenfalls du worden geworden
                """));
        WORDS.put("es", words("""
                a va van ayer hoy noche semana fin falta poco pocos varios varias cerca lado nuevo nueva nuevos
                fuerte fuertes sur norte hermano hermana ciudad pueblo pueblos lluvia lluvias correr salir salgo
                llegar comprar puedo debe deben debería podemos necesito tenemos ver mucho muchas cuánto cuántos
                cuánta según hacia algún alguna ningún ninguna todavía aún bastante demasiado tarde temprano pronto
                allá dos tres cuatro cinco seis siete ocho nueve diez lunes martes miércoles jueves viernes sábado
                domingo trabajo niños escuela colegio colegios agua dinero comida coche calle ayuda normalmente
                además cerraron cerró llamar mientras durante contra tras tren enero febrero marzo abril mayo junio
                julio agosto septiembre octubre noviembre diciembre clase clases mayor mayores gratis abuelo abuela
                abuelos padres hijos hija primo prima tío tía
                el la los las que y es con para por un una unos unas de del al en no se lo le les me te mi mis tu su
                sus yo él ella nosotros ellos ellas usted pero como más muy este esta estos estas eso esto ese esa está
                estoy estaba estar están son ser fue era eran hay había tiene tengo tenía hacer hace hizo qué cómo dónde
                cuando cuándo también porque sí sin sobre entre todo todos toda todas bien ya aquí ahora hola gracias
                donde nada algo otro otra puede pueden dijo casa hasta desde mucho mucha muchos pues así entonces
                nuestro nuestra vez veces solo sólo cosa cosas año años días buenos buenas quiero creo pienso
                llamo si sé mira allí ahí dentro fuera antes después incluso cualquier caso hombre mujer tienes tienen
                voy vamos ir soy eres somos estamos estás estaban hubiese hubiera pudiera alguien nadie nunca
                siempre tan tanto cada luego mismo misma otros otras nos cual cuál quién quien poco mejor gran grande
                parte gente lugar bueno dijeron tiempo mundo vida padre madre hijo han he has ha había hemos
                
                """));
        WORDS.put("fr", words("""
                on quel quelle quels quelles prochain prochaine pays demain hier aujourd soir soirée matin midi
                trop assez allons allez font peuvent veut veulent devons devrait devrais pourrait pourrais voudrais
                voudrait aime crois croit connais trouve prend prendre mettre donner venir viens vient partir part
                arriver quai gare voiture rue ville école enfants argent travail eau nuit semaine mois année années
                deux trois quatre cinq six sept huit neuf dix cent mille lundi mardi mercredi jeudi vendredi samedi
                dimanche dès selon malgré parmi sauf aucun aucune chaque plusieurs ceux celles combien vraiment
                seulement souvent parfois bientôt tard tôt ensemble près loin devant derrière nouveau nouvelle
                nouveaux nouvelles janvier février mars avril mai juin juillet août septembre octobre novembre décembre
                le la les et est une pour avec un de des du en je tu il elle nous vous ils elles ce cette ces qui que
                quoi ne pas plus mais ou où dans sur par au aux son sa ses mon ma mes ton ta se me te lui leur y a ai
                as avons avez ont suis sommes êtes sont été était étais être avoir fait faire dit bien très tout tous
                toute toutes aussi comme si oui non merci bonjour bonsoir ça cela ceci alors donc parce jamais rien
                quelque chose peu beaucoup encore déjà toujours quand comment pourquoi chez sans sous entre après avant
                même autre moi toi eux peut veux vais va vont aller maison voici voilà sais sait pense pensez voir vu
                étaient avait avaient sera serait peux dois doit faut ici là ainsi depuis pendant contre vers notre votre
                nos vos leurs celui celle dont puis bon homme femme temps jour ans fois gens monde vie euh j' l' qu' c' n' d' s' m' t' jusqu' lorsqu' puisqu'
                """));
        WORDS.put("en", words("""
                the be to of and a in that have i it for not on with he as you do at this but his by from they we say
                her she or an will my one all would there their what so up out if about who get which go me when make
                can like time no just him know take people into year your good some could them see other than then now
                look only come its over think also back after use two how our work first well way even new want
                because any these give day most us is are was were been being has had did does said am very where why
                here thank thanks please yes much more really should must may might shall let got going home train
                station those each every through down never always still something nothing anything everything thing
                things man woman world life long great little own old right big high different small large next early
                young important few bad same able help tell ask feel try leave call need keep start seem show hear play
                run move live believe hold bring happen write sit stand lose pay meet include continue set learn change
                lead understand watch follow stop create speak read spend grow open walk win offer remember love
                consider appear buy wait serve send expect build stay fall cut reach remain went made told asked thought
                came took found gave knew left felt saw heard again today tomorrow yesterday morning night everyone
                book cat dog water money house school friend family children weather outside inside raining window
                program programs prints isn wasn aren weren don doesn didn won wouldn couldn shouldn haven
                hasn hadn n't 's 't 'm 're 've 'll 'd
                data model models learning machine computer system systems using used information service business
                company product market process development research government report result results example number
                problem question point group part case week month hour minute city country state car food music game
                team phone page website online free best better last real sure true whole hope happy sorry nice
                thank people's why which while until since though although however without within between against
                during before above below around another such both either neither enough less least many several
                usually often sometimes already almost quite rather maybe perhaps probably actually especially
                require requires large small delicious served restaurant meeting late early soon later
                                """));
        // ot: Latin-script languages outside the label set.
        WORDS.put("sw", words("""
                na ya wa kwa ni za la katika hii huo hiyo kuwa sana lakini kama hapa yeye mimi wewe sisi wao nini gani
                ndiyo hapana pia bado baada kabla kila moja mbili sasa akasema alisema nilikuwa alikuwa watu mtu hakuna
                pamoja zaidi hivyo ili au lile ile huu hizo hayo kuna kwamba juu naye nami tena tu mwishowe wangu wako
                yake yetu habari jambo asante karibu
                """));
        WORDS.put("id", words("""
                yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke saya ada bisa kami mereka atau
                karena sudah orang apa aku kamu dia kita sangat tetapi tapi jika sebagai oleh telah belum harus
                terima kasih selamat pagi
                """));
        WORDS.put("it", words("""
                lo le da in con su tra fra sono hai abbiamo avete quello quella oggi ieri domani sera mattina
                pomeriggio dovrebbe dovremmo posso possiamo vorrei nei negli sulle ai agli dal dalle mi si vi ne chi
                come tutto tutta tutte nostro nostra vostro suo sua loro una stato stata fatto andare bambini casa
                giorno giorni settimana anno anni volta sempre mai niente qualcosa qualcuno adesso subito poi prima
                dopo senza perché sì bianco nero nuovo nuova vecchio vecchia di
                il di che e è del della gli ma anche io ti ci questo questa sei ho ha hanno ciao tutti grazie molto
                perché più cosa bene sempre essere fare dove quando nel nella alla allo dei delle degli dalla sul sulla
                ancora così buongiorno buonasera mondo uno mia mio tuo tua sono non per l' un' dell' all' po'
                
                """));
        WORDS.put("pt", words("""
                os as nos nas ao aos à é está estão foi foram era têm ter ser estar fazer pode posso podemos vai vou
                vamos quer quero preciso seu sua seus suas meu minha meus minhas nosso nossa este esta esse essa
                aquele aquela eles elas menos ontem hoje amanhã onde quando como por para pelos pelas num numa em no
                na sem sobre entre até desde durante dia noite tarde manhã semana ano anos vez casa tempo gente coisa
                tchau boa bem grande pequeno novo nova outro outra todo toda todos todas tudo alguém ninguém cedo perto
                longe dois duas três quatro cinco seis sete oito nove dez escola escolas chuva neve que
                não um uma em com do da dos das mais muito você eu ele ela isso isto obrigado obrigada também mas são
                tem ao pelo pela já nós bom olá tudo estou vocês então porque agora aqui ainda depois sempre nada
                
                """));
        WORDS.put("nl", words("""
                de en is op te om zo als ze hij ze je we u al was had zou kan kunnen moet moeten gaan gaat kom komt
                vandaag gisteren morgen waarom wanneer wie wat welke omdat dus toen nu hier daar ons onze hun haar
                zijn zich mij me jou je vanochtend vanavond
                het een van dat niet ik zijn voor maar ook aan er dit naar nog bij heb heeft hebben wordt worden goed
                geen meer wel waar dank jij mijn hallo hoe jullie zij wij veel
                
                """));
        WORDS.put("pl", words("""
                się nie jest że jak ale czy jestem mam tym być już tylko bardzo dziękuję cześć proszę gdzie dla od
                
                """));
        WORDS.put("nordic", words("""
                och att det som på är av för till har inte ett jag ikke jeg hvad nej tack takk hej og
                
                """));
        WORDS.put("ro", words("""
                și în este că pe cu nu mai care pentru sunt lui ei fost sau dar fi această acest
                
                """));
        WORDS.put("cy", words("""
                mae yn yr ac ble mi dw rydw gyda ddim wedi bod sut diolch croeso bore nos heddiw yfory ddoe hefyd neu
                ond gan fy eu ein eich hwn hon hyn yma yna beth pwy pam faint llawer iawn prynu tocyn rhad maes awyr
                """));
        WORDS.put("fi", words("""
                ja on ei se että en minä sinä hän me te he mitä tämä tämän kanssa mutta kun niin jos tai myös vain
                oli olen olet ovat ole mikä kuka missä miksi koska nyt sitten vielä jo kiitos hyvä huomenna
                """));
        WORDS.put("hu", words("""
                nem hogy és az egy van volt mit ezt azt ez meg ha már csak még mint vagy nagyon köszönöm igen
                holnap ma tudom szia este reggel után előtt itt ott hol miért mikor hogyan kérem jó sok nagy kicsi új
                """));
        WORDS.put("ca", words("""
                què amb aquest aquesta això doncs molt també perquè seva seu nosaltres vosaltres demà avui fer dir
                gràcies sóc són està meu teu els pel pels ningú res tothom dilluns dimarts dimecres dijous divendres
                dissabte diumenge matí tarda nit ahir meva teva sisplau trucat cap surt sis nens després vespre
                """));
        WORDS.put("hi-latn", words("""
                hai hain nahi nahin kya aur tum aap hum mera meri mere tera teri tumhara kaise kaisa ho tha thi raha
                rahi rahe hoon hun accha acha bahut kuch bhai yaar namaste dhanyavaad dhanyawad shukriya ji kyun kahan
                pyaar pyar karta karti karo kar tumse mujhe mujhko humko apna apni naam jaana jana haan theek
                """));
        WORDS.put("ar-latn", words("""
                habibi habibti yalla inshallah insha allah mashallah wallah shukran marhaba ahlan salam alaikum
                alaykum kifak kifik keefak ana enta enti inta inti ahla sabah khair kheir masa hatha hadha matha
                maza shu shou kitab ghadan bukra kaman kteer ktir akhi ukhti baddi bidi ila ala min wa
                """));
        WORDS.put("ru-latn", words("""
                privet kak dela spasibo poka ya ty menya zovut horosho khorosho ochen chto eto kto gde pozhaluysta
                pozhaluista dobroe utro vecher davai nichego tebya lyublyu
                """));
        WORDS.put("zh-latn", words("""
                ni hao nihao xiexie xie zaijian wo shi shenme hen bu zai jian zhe ge women nimen tamen zhongguo pengyou
                haode duibuqi meiyou
                """));
    }

    /** Greetings and internet slang that belong to no single language: neither evidence nor counted words. */
    static final Set<String> NEUTRAL = words("""
                lol lmao omg ok okay hi hey yo bye hello haha hahaha xd thx pls wow yay ups oops
                """);

    private LatinLexicon() {
    }

    private static Set<String> words(String block) {
        return Set.copyOf(java.util.Arrays.asList(block.strip().split("\\s+")));
    }
}
