import NIOConcurrencyHelpers
import WeftCore

/// A token bucket per caller: `rate` requests a second on average, bursts up to `burst`.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var at: ContinuousClock.Instant
    }

    private let rate: Double
    private let burst: Double
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])

    /// Creates a limiter.
    public init(requestsPerSecond rate: Double, burst: Int) {
        self.rate = rate
        self.burst = Double(burst)
    }

    /// Takes a token for `caller`; false when its bucket is empty.
    public func allow(_ caller: String, now: ContinuousClock.Instant = .now) -> Bool {
        buckets.withLockedValue { buckets in
            var bucket = buckets[caller] ?? Bucket(tokens: burst, at: now)
            let elapsed = bucket.at.duration(to: now)
            let seconds = elapsed.inSeconds
            bucket.tokens = min(burst, bucket.tokens + max(0, seconds) * rate)
            bucket.at = now
            guard bucket.tokens >= 1 else {
                buckets[caller] = bucket
                return false
            }
            bucket.tokens -= 1
            buckets[caller] = bucket
            return true
        }
    }
}
