import WeftCore

/// Why a schedule fingerprint cannot be made.
public struct ScheduleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// When a case's accounts post, as a 168-bin hour-of-week histogram in UTC (bin 0 is Monday 00:00–00:59 UTC),
/// quantised to one hex nibble per bin: the `schedule` indicator. An aggregate, so it is made only for cases of at
/// least ``minimumAccounts`` accounts, and each account weighs the same however much it posts.
public struct ScheduleFingerprint: Sendable, Hashable {
    /// k: fewer accounts than this and no fingerprint is made (DESIGN.md §2).
    public static let minimumAccounts = 10
    /// Hours in a week.
    public static let bins = 168

    /// The quantised histogram, 0…15 per bin, the largest bin 15.
    public var levels: [UInt8]

    /// Builds the fingerprint from each account's post times (Unix seconds, UTC).
    public init(postTimesByAccount: [[Int64]]) throws(ScheduleError) {
        let active = postTimesByAccount.filter { !$0.isEmpty }
        guard active.count >= Self.minimumAccounts else {
            throw ScheduleError(
                "\(active.count) accounts with posts; schedule fingerprints need at least \(Self.minimumAccounts) (k-anonymity)"
            )
        }
        var histogram = [Double](repeating: 0, count: Self.bins)
        for times in active {
            let weight = 1 / Double(times.count)
            for time in times { histogram[Self.bin(time)] += weight }
        }
        let peak = histogram.max() ?? 0
        levels = histogram.map { peak > 0 ? UInt8(($0 / peak * 15).rounded()) : 0 }
    }

    /// Reads the wire form: 168 lower-case hex digits.
    public init?(hex: String) {
        guard Hex.isLowercaseHex(hex, count: Self.bins) else { return nil }
        levels = hex.map { UInt8($0.hexDigitValue!) }
    }

    /// The wire form.
    public var hex: String { levels.map { String($0, radix: 16) }.joined() }

    /// The hour-of-week bin of a Unix time. 1970-01-01 was a Thursday, weekday 3 counting Monday as 0.
    public static func bin(_ time: Int64) -> Int {
        let hours = Int((time >= 0 ? time : time - 3599) / 3600)
        let day = (hours >= 0 ? hours / 24 : (hours - 23) / 24)
        let weekday = ((day + 3) % 7 + 7) % 7
        let hour = ((hours % 24) + 24) % 24
        return weekday * 24 + hour
    }

    /// Cosine similarity of two fingerprints' levels, 0…1.
    public func cosine(to other: ScheduleFingerprint) -> Double {
        var dot = 0.0
        var a = 0.0
        var b = 0.0
        for (x, y) in zip(levels, other.levels) {
            dot += Double(x) * Double(y)
            a += Double(x) * Double(x)
            b += Double(y) * Double(y)
        }
        return a > 0 && b > 0 ? dot / (a * b).squareRoot() : 0
    }

    /// The UTC offset (−12…+14 hours) under which the most activity falls in local office hours, Monday to Friday
    /// 09:00–17:59, with that share; and how strongly activity dips at local 12:00 and 18:00 (lunch and supper)
    /// against the neighbouring hours 10, 11, 14, 15 and 16, 17, 19, 20 on weekdays: 1 means silent during both
    /// meals, 0 no dip.
    public var officeFit: (utcOffset: Int, officeShare: Double, mealBreakGap: Double) {
        let total = Double(levels.reduce(0) { $0 + Int($1) })
        guard total > 0 else { return (0, 0, 0) }
        func local(_ offset: Int, weekday: Int, hour: Int) -> Double {
            Double(levels[((weekday * 24 + hour - offset) % Self.bins + Self.bins) % Self.bins])
        }
        var best = (offset: 0, share: -1.0)
        for offset in [0] + (1...14).flatMap({ [$0, -$0] }).filter({ $0 >= -12 }) {
            var office = 0.0
            for weekday in 0..<5 { for hour in 9..<18 { office += local(offset, weekday: weekday, hour: hour) } }
            if office / total > best.share + 1e-12 { best = (offset, office / total) }
        }
        var meals = 0.0
        var neighbours = 0.0
        for weekday in 0..<5 {
            meals += local(best.offset, weekday: weekday, hour: 12) + local(best.offset, weekday: weekday, hour: 18)
            for hour in [10, 11, 14, 15, 16, 17, 19, 20] {
                neighbours += local(best.offset, weekday: weekday, hour: hour)
            }
        }
        let mealMean = meals / 10
        let neighbourMean = neighbours / 40
        let gap = neighbourMean > 0 ? max(0, min(1, 1 - mealMean / neighbourMean)) : 0
        return (best.offset, best.share, gap)
    }
}
