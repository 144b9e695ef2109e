import WeftHashing

/// When people post: ordinary users follow a diurnal and weekly rhythm in their own time zone; an operation's
/// staff work office shifts in UTC+8 on working days, with lunch and supper breaks and silent holidays.
struct PostingRhythm: Sendable {
    /// The window: its first second (a Monday, UTC) and its length in days.
    let start: Int64
    let days: Int
    /// Weight of each day of the window for ordinary users: weekends weigh 1.3.
    let dayWeights: [Double]

    init(start: Int64, days: Int) {
        self.start = start
        self.days = days
        dayWeights = (0..<days).map { $0 % 7 >= 5 ? 1.3 : 1.0 }
    }

    /// Days of the window that are public holidays in UTC+8 (Qingming, 2026-04-06, falls on day 14).
    static let holidayDays: Set<Int> = [14]

    /// UTC offsets of ordinary users, in hours, with their weights: the Americas, Europe, Africa, Russia,
    /// South and East Asia. UTC+8 is common among organic users too, which is what makes it a hard negative.
    static let timeZones: [(offset: Int, weight: Double, languages: [String])] = [
        (-8, 0.10, ["en", "es"]), (-5, 0.16, ["en", "es"]), (-3, 0.06, ["es"]), (0, 0.08, ["en"]),
        (1, 0.14, ["fr", "de", "en"]), (3, 0.08, ["ru"]), (5, 0.06, ["en"]), (8, 0.18, ["zh", "en"]),
        (9, 0.08, ["en", "zh"]), (10, 0.06, ["en"]),
    ]

    /// Relative activity by local hour for ordinary users: quiet at night, a morning rise, an evening peak.
    static let diurnal: [Double] = [
        0.6, 0.3, 0.15, 0.1, 0.1, 0.15, 0.4, 0.8, 1.0, 1.0, 0.9, 0.9, 1.1, 1.0, 0.9, 0.9, 1.0, 1.1, 1.3, 1.6, 1.9, 2.0,
        1.7, 1.1,
    ]

    /// Office shifts in local time (minutes after midnight): morning, afternoon after the lunch break, evening
    /// after the supper break.
    static let shifts: [(from: Int, to: Int)] = [(9 * 60, 12 * 60), (13 * 60 + 30, 17 * 60 + 30), (19 * 60, 21 * 60)]

    /// A post time for an ordinary user at UTC `offset`: days follow ``dayWeights``, hours follow ``diurnal``.
    func organicTime(offset: Int, _ random: inout SeededRandom) -> Int64 {
        let day = random.weighted(dayWeights)
        let hour = random.weighted(Self.diurnal)
        let minute = random.int(in: 0...59)
        let second = random.int(in: 0...59)
        let local = Int64(day * 86_400 + hour * 3_600 + minute * 60 + second)
        return wrap(start + local - Int64(offset * 3_600))
    }

    /// The working days of the window in UTC+8 (weekdays that are not holidays).
    var workingDays: [Int] { (0..<days).filter { $0 % 7 < 5 && !Self.holidayDays.contains($0) } }

    /// A post time during an office shift in UTC+8 on a working day, or nil if the window has none.
    func officeTime(_ random: inout SeededRandom) -> Int64? {
        let working = workingDays
        guard !working.isEmpty else { return nil }
        let day = random.pick(working)
        let shift = Self.shifts[random.weighted(Self.shifts.map { Double($0.to - $0.from) })]
        let minute = random.int(in: shift.from...(shift.to - 1))
        let local = Int64(day * 86_400 + minute * 60 + random.int(in: 0...59))
        return wrap(start + local - 8 * 3_600)
    }

    /// The window's end (exclusive).
    var end: Int64 { start + Int64(days) * 86_400 }

    /// A time moved by whole windows into the window: local days that begin before the window starts in UTC
    /// continue at its end, so no instant collects the overflow.
    func wrap(_ time: Int64) -> Int64 {
        let length = end - start
        return start + ((time - start) % length + length) % length
    }

    /// `time` if it falls inside the window; cascades that run past its end were not observed.
    func within(_ time: Int64) -> Int64? { time >= start && time < end ? time : nil }
}
