import WeftCore
import WeftHashing
import WeftStore

/// What an operation's timeline and schedule need from one case's reports: the first and last day any of them
/// was seen, and the case's schedule fingerprints.
struct CaseActivity: Equatable {
    var firstSeen: String
    var lastSeen: String
    var schedules: [[UInt8]] = []

    init(_ report: MergedView.ReportEntry) {
        firstSeen = report.firstSeen
        lastSeen = report.lastSeen
        addSchedule(of: report)
    }

    /// Folds in one more report.
    mutating func add(_ report: MergedView.ReportEntry) {
        firstSeen = min(firstSeen, report.firstSeen)
        lastSeen = max(lastSeen, report.lastSeen)
        addSchedule(of: report)
    }

    private mutating func addSchedule(of report: MergedView.ReportEntry) {
        if report.kind == .schedule, let fingerprint = ScheduleFingerprint(hex: report.value) {
            schedules.append(fingerprint.levels)
        }
    }

    /// The activity of some reports, by case.
    static func byCase(_ reports: some Sequence<MergedView.ReportEntry>) -> [Int: CaseActivity] {
        var activity: [Int: CaseActivity] = [:]
        for report in reports {
            if activity[report.caseIndex] == nil {
                activity[report.caseIndex] = CaseActivity(report)
            } else {
                activity[report.caseIndex]!.add(report)
            }
        }
        return activity
    }
}
