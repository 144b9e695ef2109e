import Foundation
import WeftHashing

/// A headline an operation pushes, with its translation when the operation posts one.
public struct Headline: Sendable, Hashable {
    /// The text.
    public var text: String
    /// Its language code.
    public var language: String
    /// The same headline in another language, if the operation translates it.
    public var translation: (text: String, language: String)?

    /// Creates a headline.
    public init(text: String, language: String, translation: (text: String, language: String)? = nil) {
        self.text = text
        self.language = language
        self.translation = translation
    }

    public static func == (lhs: Headline, rhs: Headline) -> Bool {
        lhs.text == rhs.text && lhs.translation?.text == rhs.translation?.text
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

/// Makes each operation's pool of headlines: part taken from published takedown reports (when given), the rest
/// written from bilingual templates around targets only that operation attacks, so two operations never push the
/// same story by chance.
struct HeadlineWriter {
    /// Templates with `{S}` (a subject) and `{T}` (a topic), English then Chinese.
    static let templates: [(String, String)] = [
        ("{S} exposed: {T} behind the mask", "{S}真面目曝光：{T}"),
        ("Why does {S} keep silent on {T}?", "{S}为何对{T}保持沉默？"),
        ("{T}: the shame of {S}", "{T}：{S}的耻辱"),
        ("The truth about {S} and {T}", "关于{S}和{T}的真相"),
        ("{S} caught lying about {T} again", "{S}再次就{T}撒谎"),
        ("Who pays {S}? Follow the money behind {T}", "谁在资助{S}？{T}背后的金钱"),
        ("{S} and the myth of {T}", "{S}与{T}的神话"),
        ("What {S} will not tell you about {T}", "{S}不会告诉你的{T}"),
    ]

    static let topics: [(String, String)] = [
        ("double standards", "双重标准"), ("racial discrimination", "种族歧视"), ("money laundering", "洗钱"),
        ("the virus origin", "病毒起源"), ("gun violence", "枪支暴力"), ("human rights", "人权"),
        ("election fraud", "选举舞弊"), ("fake donations", "虚假捐款"), ("the drug crisis", "毒品危机"),
        ("police brutality", "警察暴力"), ("foreign interference", "外国干涉"), ("the debt trap", "债务陷阱"),
        ("press freedom", "新闻自由"), ("the homeless crisis", "无家可归危机"),
    ]

    static let surnames: [(String, String)] = [
        ("Zhao", "赵"), ("Qian", "钱"), ("Sun", "孙"), ("Li", "李"), ("Zhou", "周"), ("Wu", "吴"), ("Zheng", "郑"),
        ("Wang", "王"), ("Feng", "冯"), ("Chen", "陈"), ("Chu", "褚"), ("Wei", "卫"), ("Jiang", "蒋"), ("Shen", "沈"),
    ]
    static let givenNames: [(String, String)] = [
        ("Xin", "昕"), ("Ruiqin", "瑞琴"), ("Jiajun", "家俊"), ("Jianhong", "建宏"), ("Pokong", "破空"), ("Ming", "明"),
        ("Hua", "华"), ("Lei", "磊"), ("Yan", "燕"), ("Bo", "波"), ("Tao", "涛"), ("Fang", "芳"), ("Jun", "军"),
    ]
    static let organisations: [(String, String)] = [
        ("Foundation", "基金会"), ("Defenders", "捍卫者"), ("Alliance", "联盟"), ("Watch", "观察"), ("Institute", "研究所"),
    ]

    /// A pool of `count` headlines for operation `index`, first taking `published` ones (already disjoint between
    /// operations), then writing the rest around targets of its own (`ownWord` names its organisation). About a
    /// third of written headlines carry a Chinese translation.
    static func pool(
        count: Int, published: [Headline], operation index: Int, ownWord: String, _ random: inout SeededRandom
    ) -> [Headline] {
        var pool = Array(published.prefix(count))
        // Targets are unique to the operation: a person's name and an organisation named after a made-up word.
        // The person differs between operations (surname and given name are dealt by index), and the
        // organisation is named after a word of the operation's own.
        let person = surnames[index % surnames.count]
        let given = givenNames[(index * 5 + index / surnames.count) % givenNames.count]
        let marker = "\(index + 1)"
        let organisation = random.pick(organisations)
        let subjects: [(String, String)] = [
            ("\(person.0) \(given.0) (\(marker))", "\(person.1)\(given.1)（\(marker)）"),
            ("the \(ownWord) \(organisation.0)", "\(ownWord)\(organisation.1)"),
        ]
        // Each operation works a few templates and topics of its own choosing.
        let ownTemplates = random.sample(3, from: templates.count).map { templates[$0] }
        let ownTopics = random.sample(4, from: topics.count).map { topics[$0] }
        var tries = 0
        var seen = Set(pool.map(\.text))
        while pool.count < count && tries < count * 20 {
            tries += 1
            let template = random.pick(ownTemplates)
            let subject = random.pick(subjects)
            let topic = random.pick(ownTopics)
            let english = fill(template.0, subject.0, topic.0)
            guard seen.insert(english).inserted else { continue }
            let chinese = fill(template.1, subject.1, topic.1)
            if random.chance(0.35) {
                pool.append(Headline(text: english, language: "en", translation: (chinese, "zh")))
            } else if random.chance(0.3) {
                pool.append(Headline(text: chinese, language: "zh"))
            } else {
                pool.append(Headline(text: english, language: "en"))
            }
        }
        return pool
    }

    private static func fill(_ template: String, _ subject: String, _ topic: String) -> String {
        template.replacingOccurrences(of: "{S}", with: subject).replacingOccurrences(of: "{T}", with: topic)
    }
}
