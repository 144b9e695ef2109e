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
                for row in 0..<rows {
                    boxRow(
                        buffer.baseAddress! + row * columns, scratch.baseAddress! + row * columns,
                        length: columns, window: rowWindow)
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
    static func decimate(
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
