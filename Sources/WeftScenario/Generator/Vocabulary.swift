import WeftHashing

/// The words posts are made of: a core of real everyday words per language, followed by a long tail of
/// pronounceable made-up words, drawn with Zipf's law so the text statistics look like real posts.
struct Vocabulary: Sendable {
    /// The languages posts are written in.
    static let languages = ["en", "es", "fr", "de", "ru", "zh"]

    /// Words by language, most frequent first.
    let words: [String: [String]]
    private let zipf: ZipfTable

    /// Builds the vocabulary: `tail` made-up words per language after the real ones.
    init(tail: Int, seed: UInt64) {
        var built: [String: [String]] = [:]
        for (index, language) in Self.languages.enumerated() {
            var random = SeededRandom.stream(seed: seed, "vocabulary", index)
            var list = Self.core[language] ?? []
            var seen = Set(list)
            while list.count < Self.core[language, default: []].count + tail {
                let word = Self.madeUpWord(language: language, &random)
                if seen.insert(word).inserted { list.append(word) }
            }
            built[language] = list
        }
        words = built
        zipf = ZipfTable(count: built.values.map(\.count).min() ?? 1, exponent: 1.05)
    }

    /// A word of `language`, Zipf-distributed.
    func word(_ language: String, _ random: inout SeededRandom) -> String {
        let list = words[language] ?? words["en"]!
        return list[zipf.draw(&random) % list.count]
    }

    /// A sentence of `count` words; Chinese is written without spaces.
    func sentence(_ language: String, words count: Int, _ random: inout SeededRandom) -> String {
        let parts = (0..<count).map { _ in word(language, &random) }
        return language == "zh" ? parts.joined() + "。" : parts.joined(separator: " ") + "."
    }

    private static let syllables: [String: [String]] = [
        "en": ["ba", "ter", "lin", "son", "mar", "ket", "ow", "ing", "ly", "pro", "con", "sta", "der", "ble", "ment"],
        "es": ["ca", "sa", "lo", "ra", "de", "to", "mi", "ción", "gue", "bra", "ver", "es", "tan", "do", "na"],
        "fr": ["mon", "ver", "tre", "eau", "ssi", "ble", "que", "ran", "ai", "lle", "ment", "pré", "chê", "on"],
        "de": ["ver", "ge", "schaft", "lich", "ung", "ein", "stra", "ber", "keit", "wald", "haus", "zeit", "tor"],
        "ru": ["ка", "ло", "ст", "ра", "ник", "ов", "ная", "при", "во", "ть", "ель", "ми", "до", "зна", "ост"],
        "zh": Array(
            "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天"
        ).map(String.init),
    ]

    private static func madeUpWord(language: String, _ random: inout SeededRandom) -> String {
        let pool = syllables[language] ?? syllables["en"]!
        let length = language == "zh" ? random.int(in: 2...3) : random.int(in: 2...4)
        return (0..<length).map { _ in random.pick(pool) }.joined()
    }

    private static let core: [String: [String]] = [
        "en": """
        the a to and of in is for it you on my this with so that today just love new good day time what all \
        your have we be are not weekend family friends coffee dinner weather rain sunny game team music movie \
        school work office kids dog cat photo trip beach city park birthday happy finally tonight morning \
        recipe garden football concert traffic holiday book
        """.split(separator: " ").map(String.init),
        "es": """
        el la de que y en un es por con para mi hoy muy bien día fin semana familia amigos café cena lluvia sol \
        partido equipo música película escuela trabajo perro gato foto viaje playa ciudad parque cumpleaños feliz
        """.split(separator: " ").map(String.init),
        "fr": """
        le la de et un une est pour avec mon ce aujourd'hui très bien jour semaine famille amis café dîner pluie \
        soleil match équipe musique film école travail chien chat photo voyage plage ville parc anniversaire
        """.split(separator: " ").map(String.init),
        "de": """
        der die das und ist nicht mit ein heute sehr gut tag woche familie freunde kaffee essen regen sonne spiel \
        mannschaft musik film schule arbeit hund katze foto reise strand stadt park geburtstag endlich
        """.split(separator: " ").map(String.init),
        "ru": """
        и в не на я что с по это как сегодня очень хорошо день неделя семья друзья кофе ужин дождь солнце игра \
        команда музыка фильм школа работа собака кошка фото поездка море город парк праздник
        """.split(separator: " ").map(String.init),
        "zh": """
        今天 我们 朋友 周末 天气 下雨 咖啡 晚饭 家人 工作 学校 孩子 电影 音乐 比赛 旅行 公园 生日 快乐 早上 城市 \
        照片 美食 散步 假期 书 猫 狗 海边 回家
        """.split(separator: " ").map(String.init),
    ]
}
