import Dispatch
import WeftHashing

/// MinHash signatures held side by side in one array, 128 values each: millions of them take one allocation
/// instead of one per signature, and comparisons read them through ``NearPairs/signature(_:in:)``.
struct FlatSignatures {
    /// The values, signature after signature.
    private(set) var values: [UInt32]

    /// How many signatures are held.
    var count: Int { values.count / MinHashSignature.count }

    /// Holds `signatures` in order.
    init(_ signatures: [MinHashSignature]) {
        values = []
        values.reserveCapacity(signatures.count * MinHashSignature.count)
        for signature in signatures { values += signature.values }
    }

    /// Parses wire-form signatures on all cores, keeping those that parse in order; `parsed` lists the positions in
    /// `texts` that did (a merge decodes millions of them, and parsing one by one was a tenth of a rebuild).
    init(parsing texts: [String], parsed: inout [Int]) {
        let width = MinHashSignature.count
        var values = [UInt32](repeating: 0, count: texts.count * width)
        var valid = [Bool](repeating: false, count: texts.count)
        values.withUnsafeMutableBufferPointer { values in
            valid.withUnsafeMutableBufferPointer { valid in
                // Each iteration writes only its own positions' values and flags.
                nonisolated(unsafe) let (output, flags) = (values, valid)
                let chunk = 4_096
                DispatchQueue.concurrentPerform(iterations: (texts.count + chunk - 1) / chunk) { part in
                    for position in (part * chunk)..<min(texts.count, (part + 1) * chunk) {
                        let slice = UnsafeMutableBufferPointer(
                            rebasing: output[(position * width)..<((position + 1) * width)])
                        flags[position] = MinHashSignature.decode(hex: texts[position], into: slice)
                    }
                }
            }
        }
        parsed = valid.indices.filter { valid[$0] }
        if parsed.count < texts.count {
            values = parsed.flatMap { values[($0 * width)..<(($0 + 1) * width)] }
        }
        self.values = values
    }
}
