import Testing
import WeftCore

@testable import WeftHashing

/// Hour-of-week fingerprints, k-anonymity, similarity and the office-hours fit.
@Suite struct ScheduleTests {
    /// Monday 2023-05-01 00:00 UTC.
    static let monday: Int64 = 1_682_899_200

    /// Accounts that post on weekdays in an office in UTC+8, breaking for lunch (12:00) and supper (18:00).
    static func officeAccounts(_ count: Int, seed: UInt64) -> [[Int64]] {
        var random = SeededRandom(seed: seed)
        let hours = [9, 10, 11, 13, 14, 15, 16, 17, 19, 20]
        return (0..<count).map { _ in
            (0..<60).map { _ in
                let week = Int64(random.int(in: 0...3))
                let day = Int64(random.int(in: 0...4))
                let hour = Int64(hours[random.int(in: 0...(hours.count - 1))])
                let localTime = monday + week * 604_800 + day * 86_400 + hour * 3_600 + Int64(random.int(in: 0...3599))
                return localTime - 8 * 3_600
            }
        }
    }

    static func organicAccounts(_ count: Int, seed: UInt64) -> [[Int64]] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in (0..<40).map { _ in monday + Int64(random.int(in: 0...(4 * 604_800 - 1))) } }
    }

    @Test func binsCountFromMondayMidnightUTC() {
        #expect(ScheduleFingerprint.bin(Self.monday) == 0)
        #expect(ScheduleFingerprint.bin(Self.monday + 3_600 * 25) == 25)
        #expect(ScheduleFingerprint.bin(Self.monday - 1) == 167)
        #expect(ScheduleFingerprint.bin(0) == 3 * 24)  // 1970-01-01 was a Thursday
    }

    @Test func fewerThanTenAccountsAreRefused() {
        let error = #expect(throws: ScheduleError.self) {
            try ScheduleFingerprint(postTimesByAccount: Self.officeAccounts(9, seed: 1) + [[]])
        }
        #expect(error?.message.contains("at least 10") == true)
    }

    @Test func anOfficeInUTCPlus8IsFound() throws {
        let fingerprint = try ScheduleFingerprint(postTimesByAccount: Self.officeAccounts(20, seed: 2))
        let fit = fingerprint.officeFit
        #expect(fit.utcOffset == 8)
        #expect(fit.officeShare > 0.6)
        #expect(fit.mealBreakGap > 0.9)
        #expect(ScheduleFingerprint(hex: fingerprint.hex) == fingerprint)
        _ = try Indicator(kind: .schedule, value: fingerprint.hex)
    }

    @Test func organicActivityHasNoOfficeShapeAndDiffers() throws {
        let office = try ScheduleFingerprint(postTimesByAccount: Self.officeAccounts(20, seed: 3))
        let sameOffice = try ScheduleFingerprint(postTimesByAccount: Self.officeAccounts(30, seed: 4))
        let organic = try ScheduleFingerprint(postTimesByAccount: Self.organicAccounts(50, seed: 5))
        #expect(office.cosine(to: sameOffice) >= 0.9)
        #expect(office.cosine(to: organic) < 0.9)
        #expect(organic.officeFit.officeShare < 0.45)
        #expect(organic.officeFit.mealBreakGap < 0.3)
    }

    @Test func everyAccountWeighsTheSame() throws {
        // One account posting 10,000 times at 03:00 UTC does not outweigh nineteen office accounts.
        var accounts = Self.officeAccounts(19, seed: 6)
        accounts.append((0..<10_000).map { Self.monday + Int64($0 % 5) * 86_400 + 3 * 3_600 })
        #expect(try ScheduleFingerprint(postTimesByAccount: accounts).officeFit.utcOffset == 8)
    }
}
