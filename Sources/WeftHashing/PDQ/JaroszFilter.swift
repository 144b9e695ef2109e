/// The tent ("Jarosz") filter and decimation that reduce luma to 64×64, in the reference's float32 order.
///
/// Each 1-D box pass is a running sum in four phases (grow the window without writing, grow while writing,
/// slide, shrink), dividing by the current window size: the exact sequence of float additions and
/// subtractions of Meta's `box1DFloat`. The vertical pass advances every column's running sum together while
/// sweeping rows top to bottom, so it reads memory in order; each column still sees the same operations in
/// the same order as the reference, so results are bit-identical.
enum JaroszFilter {
    /// ⌈length / 128⌉: the box window that, applied twice, gives a tent about length/64 wide.
    static func windowSize(_ length: Int) -> Int { (length + 127) / 128 }

    /// Filters `buffer` (rows × columns, row-major) in place, using `scratch` of the same size.
    static func apply(
        _ buffer: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<Float>,
        rows: Int, columns: Int, repetitions: Int = 2
    ) {
        let rowWindow = windowSize(columns)
        let columnWindow = windowSize(rows)
        var sums = [Float](repeating: 0, count: columns)
        sums.withUnsafeMutableBufferPointer { sums in
            for _ in 0..<repetitions {
                var row = 0
                while row + 8 <= rows {
                    boxEightRows(
                        buffer.baseAddress! + row * columns, scratch.baseAddress! + row * columns,
                        length: columns, window: rowWindow)
                    row += 8
                }
                while row < rows {
                    boxRow(
                        buffer.baseAddress! + row * columns, scratch.baseAddress! + row * columns,
                        length: columns, window: rowWindow)
                    row += 1
                }
                boxColumns(
                    scratch.baseAddress!, buffer.baseAddress!, rows: rows, columns: columns,
                    window: columnWindow, sums: sums.baseAddress!)
            }
        }
    }

    /// One horizontal box pass over a row.
    @inline(__always)
    static func boxRow(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, length: Int, window: Int) {
        let half = (window + 2) / 2
        var sum: Float = 0
        var size = 0
        var read = 0
        var left = 0
        var write = 0
        for _ in 0..<(half - 1) {
            sum += input[read]
            size += 1
            read += 1
        }
        for _ in 0..<(window - half + 1) {
            sum += input[read]
            size += 1
            output[write] = sum / Float(size)
            read += 1
            write += 1
        }
        for _ in 0..<max(0, length - window) {
            sum += input[read]
            sum -= input[left]
            output[write] = sum / Float(size)
            left += 1
            read += 1
            write += 1
        }
        for _ in 0..<(half - 1) {
            sum -= input[left]
            size -= 1
            output[write] = sum / Float(size)
            left += 1
            write += 1
        }
    }

    /// The horizontal pass over eight consecutive rows at once. The rows are transposed into a small tile where
    /// column c's eight samples are contiguous, so eight independent running sums advance in one vector; each lane
    /// performs exactly ``boxRow``'s operations in the same order, and the result is transposed back.
    @inline(never)
    static func boxEightRows(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, length: Int, window: Int
    ) {
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 2 * length) { tiles in
            let source = tiles.baseAddress!
            let target = source + length
            for column in 0..<length {
                source[column] = SIMD8(
                    input[column], input[length + column], input[2 * length + column], input[3 * length + column],
                    input[4 * length + column], input[5 * length + column], input[6 * length + column],
                    input[7 * length + column])
            }
            let half = (window + 2) / 2
            var sum = SIMD8<Float>(repeating: 0)
            var size = 0
            var read = 0
            var left = 0
            var write = 0
            for _ in 0..<(half - 1) {
                sum += source[read]
                size += 1
                read += 1
            }
            for _ in 0..<(window - half + 1) {
                sum += source[read]
                size += 1
                target[write] = sum / SIMD8(repeating: Float(size))
                read += 1
                write += 1
            }
            let divisor = SIMD8<Float>(repeating: Float(size))
            for _ in 0..<max(0, length - window) {
                sum += source[read]
                sum -= source[left]
                target[write] = sum / divisor
                left += 1
                read += 1
                write += 1
            }
            for _ in 0..<(half - 1) {
                sum -= source[left]
                size -= 1
                target[write] = sum / SIMD8(repeating: Float(size))
                left += 1
                write += 1
            }
            for lane in 0..<8 {
                let row = output + lane * length
                for column in 0..<length { row[column] = target[column][lane] }
            }
        }
    }

    /// One vertical box pass over every column at once, sweeping rows.
    static func boxColumns(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, rows: Int,
        columns: Int, window: Int, sums: UnsafeMutablePointer<Float>
    ) {
        let half = (window + 2) / 2
        for column in 0..<columns { sums[column] = 0 }
        var size = 0
        var read = 0
        var left = 0
        var write = 0
        @inline(__always) func add(_ row: Int) {
            let source = input + row * columns
            for column in 0..<columns { sums[column] += source[column] }
        }
        @inline(__always) func subtract(_ row: Int) {
            let source = input + row * columns
            for column in 0..<columns { sums[column] -= source[column] }
        }
        @inline(__always) func store(_ row: Int, _ size: Int) {
            let target = output + row * columns
            let divisor = Float(size)
            for column in 0..<columns { target[column] = sums[column] / divisor }
        }
        for _ in 0..<(half - 1) {
            add(read)
            size += 1
            read += 1
        }
        for _ in 0..<(window - half + 1) {
            add(read)
            size += 1
            store(write, size)
            read += 1
            write += 1
        }
        for _ in 0..<max(0, rows - window) {
            add(read)
            subtract(left)
            store(write, size)
            left += 1
            read += 1
            write += 1
        }
        for _ in 0..<(half - 1) {
            subtract(left)
            size -= 1
            store(write, size)
            left += 1
            write += 1
        }
    }

    /// Samples the filtered buffer at 64×64 cell centres, computing indices in double as the reference does.
    @inline(never) static func decimate(
        _ input: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
        into output: UnsafeMutableBufferPointer<Float>
    ) {
        for outRow in 0..<64 {
            let inRow = Int((Double(outRow) + 0.5) * Double(rows) / 64)
            for outColumn in 0..<64 {
                let inColumn = Int((Double(outColumn) + 0.5) * Double(columns) / 64)
                output[outRow * 64 + outColumn] = input[inRow * columns + inColumn]
            }
        }
    }
}
