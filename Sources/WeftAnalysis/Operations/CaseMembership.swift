/// Which cases belong to one operation, as a bit per case index: describing an operation asks this of every
/// reporter of every linking item, and a bit test costs no hashing and copies no case entry.
struct CaseMembership {
    private var words: [UInt64]

    /// The set of `members` (case indices, none negative).
    init(_ members: some Sequence<Int>) {
        words = []
        for member in members {
            let word = member >> 6
            if word >= words.count { words += [UInt64](repeating: 0, count: word + 1 - words.count) }
            words[word] |= 1 << UInt64(member & 63)
        }
    }

    /// Whether `index` is a member.
    func contains(_ index: Int) -> Bool {
        let word = index >> 6
        return word < words.count && words[word] & (1 << UInt64(index & 63)) != 0
    }
}
