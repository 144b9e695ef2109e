/// A seeded corpus for measuring near-duplicate detection: posts of 50–300 characters in English and Chinese,
/// each with one edited copy (insertions, deletions, typos, emoji, punctuation, word swaps). Everything is
/// generated here from a seed; no real posts are used.
public struct EditedCopyCorpus: Sendable {
    /// Pairs of (original, edited copy).
    public var pairs: [(original: String, copy: String, language: String)]

    /// Generates `count` pairs per language.
    public init(perLanguage count: Int, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        pairs = []
        for language in ["en", "zh"] {
            for _ in 0..<count {
                let original = language == "en" ? Self.englishPost(&random) : Self.chinesePost(&random)
                pairs.append((original, Self.edit(original, language: language, &random), language))
            }
        }
    }

    static let englishWords: [String] = """
        the people government news report truth world china america election vote support oppose freedom democracy \
        police protest city state country leader president minister policy economy market money trade war peace \
        army soldier border island sea ship plane virus health hospital doctor vaccine science study data media \
        video photo story today yesterday tomorrow week month year history future past present official secret \
        plan attack defend shame lie fake real true false good bad great small big new old young strong weak free \
        fair unfair corrupt honest brave cowardly western eastern foreign local global national public private \
        must should will would could never always again still only even just really very more most less least \
        please share read watch listen look see know think believe hope fear love hate want need make take give \
        tell say speak write post comment like follow join stand fight win lose start stop open close rise fall \
        hong kong taiwan beijing washington london tokyo moscow europe asia africa pacific ocean river mountain \
        farmer worker student teacher family child mother father friend enemy neighbour citizen community union
        """.split(separator: " ").map(String.init)

    static let chineseCharacters = Array(
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
    )

    static func englishPost(_ random: inout SeededRandom) -> String {
        let target = random.int(in: 50...300)
        var words: [String] = []
        var length = 0
        while length < target {
            let word = englishWords[random.int(in: 0...(englishWords.count - 1))]
            words.append(word)
            length += word.count + 1
        }
        if random.int(in: 0...2) == 0 { words.insert("#" + words[0], at: 0) }
        return words.joined(separator: " ") + "."
    }

    static func chinesePost(_ random: inout SeededRandom) -> String {
        let target = random.int(in: 50...300) / 2
        var text = ""
        for index in 0..<target {
            text.append(chineseCharacters[random.int(in: 0...(chineseCharacters.count - 1))])
            if index % 12 == 11 { text.append(random.int(in: 0...1) == 0 ? "，" : "。") }
        }
        return text
    }

    static let emoji = ["😀", "🔥", "👍", "🇨🇳", "❤️", "😡", "🙏🏽"]
    static let punctuation = ["!", "!!", "?", "...", ",", ";", "—"]

    /// An edited copy of `text`: one to five edits (fewer for short posts) of the kinds people and operators make
    /// when they repost: insertions, deletions, typos, emoji, punctuation and swapped neighbours. Chinese text is
    /// edited by character, every other language by word.
    public static func edit(_ text: String, language: String, _ random: inout SeededRandom) -> String {
        let byWord = language != "zh"
        var units: [String] = byWord ? text.split(separator: " ").map(String.init) : text.map(String.init)
        let edits = random.int(in: 1...(text.count < 100 ? 2 : text.count < 200 ? 3 : 5))
        for _ in 0..<edits {
            let position = random.int(in: 0...max(0, units.count - 1))
            switch random.int(in: 0...5) {
            case 0:  // insert a word or character
                let unit =
                    byWord
                    ? englishWords[random.int(in: 0...(englishWords.count - 1))]
                    : String(chineseCharacters[random.int(in: 0...(chineseCharacters.count - 1))])
                units.insert(unit, at: position)
            case 1:  // delete one
                if units.count > 3 { units.remove(at: position) }
            case 2:  // a typo: one character replaced
                guard !units.isEmpty, !units[position].isEmpty else { continue }
                var characters = Array(units[position])
                let at = random.int(in: 0...(characters.count - 1))
                characters[at] =
                    byWord
                    ? Character(Unicode.Scalar(UInt8(random.int(in: 97...122))))
                    : chineseCharacters[random.int(in: 0...(chineseCharacters.count - 1))]
                units[position] = String(characters)
            case 3: units.insert(emoji[random.int(in: 0...(emoji.count - 1))], at: position)
            case 4: units[position] += punctuation[random.int(in: 0...(punctuation.count - 1))]
            default:  // swap neighbours
                if position + 1 < units.count { units.swapAt(position, position + 1) }
            }
        }
        return units.joined(separator: byWord ? " " : "")
    }
}

/// SplitMix64: a small, seedable generator so corpora and scenarios are reproducible.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return MinHasher.mix(state &- 0x9E37_79B9_7F4A_7C15)
    }

    /// A uniform integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}

/// Recall and false positives of MinHash LSH on an ``EditedCopyCorpus``.
public struct NearDuplicateEvaluation: Sendable {
    /// One threshold's outcome.
    public struct Outcome: Sendable, Encodable {
        public var threshold: Double
        public var recall: Double
        public var falsePositives: Int
        public var negativePairs: Int
        public var falsePositiveRate: Double { Double(falsePositives) / Double(negativePairs) }
    }

    /// Outcomes by threshold.
    public var outcomes: [Outcome]
    /// Recall by language at the first threshold.
    public var recallByLanguage: [String: Double]

    /// Indexes every original, queries every copy, and counts a copy's own original as a hit and any other
    /// original above the threshold as a false positive.
    public init(corpus: EditedCopyCorpus, hasher: MinHasher, thresholds: [Double]) {
        let originals = corpus.pairs.map { hasher.signature(of: TextNormalizer.normalize($0.original)) }
        let copies = corpus.pairs.map { hasher.signature(of: TextNormalizer.normalize($0.copy)) }
        var index = MinHashLSH(threshold: thresholds.min() ?? 0)
        for signature in originals { index.insert(signature) }
        let results = copies.map { index.query($0) }
        let negatives = corpus.pairs.count * (corpus.pairs.count - 1)
        outcomes = thresholds.map { threshold in
            var hits = 0
            var falsePositives = 0
            for (copy, matches) in results.enumerated() {
                for match in matches where match.similarity >= threshold {
                    if match.index == copy { hits += 1 } else { falsePositives += 1 }
                }
            }
            return Outcome(
                threshold: threshold, recall: Double(hits) / Double(corpus.pairs.count),
                falsePositives: falsePositives, negativePairs: negatives)
        }
        let first = thresholds.first ?? 0
        var byLanguage: [String: (Int, Int)] = [:]
        for (copy, matches) in results.enumerated() {
            let language = corpus.pairs[copy].language
            let hit = matches.contains { $0.index == copy && $0.similarity >= first }
            byLanguage[language, default: (0, 0)].0 += hit ? 1 : 0
            byLanguage[language, default: (0, 0)].1 += 1
        }
        recallByLanguage = byLanguage.mapValues { Double($0.0) / Double($0.1) }
    }
}
