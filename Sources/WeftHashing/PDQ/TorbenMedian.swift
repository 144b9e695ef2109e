/// Torben Mogensen's median (public domain), as Meta's reference uses it: for an even count it returns the
/// lower median. Copied in its float32 arithmetic so that images whose coefficients tie at the median hash
/// exactly as the reference does.
enum TorbenMedian {
    static func median(_ values: UnsafeBufferPointer<Float>) -> Float {
        let count = values.count
        var minimum = values[0]
        var maximum = values[0]
        for value in values.dropFirst() {
            if value < minimum { minimum = value }
            if value > maximum { maximum = value }
        }
        let half = (count + 1) / 2
        while true {
            let guess = (minimum + maximum) / 2
            var less = 0
            var greater = 0
            var equal = 0
            var maxBelow = minimum
            var minAbove = maximum
            for value in values {
                if value < guess {
                    less += 1
                    if value > maxBelow { maxBelow = value }
                } else if value > guess {
                    greater += 1
                    if value < minAbove { minAbove = value }
                } else {
                    equal += 1
                }
            }
            if less <= half && greater <= half {
                if less >= half { return maxBelow }
                if less + equal >= half { return guess }
                return minAbove
            }
            if less > greater { maximum = maxBelow } else { minimum = minAbove }
        }
    }
}
