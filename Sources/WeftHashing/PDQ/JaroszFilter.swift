/// The tent ("Jarosz") filter and decimation that reduce luma to 64×64, in the reference's float32 order.
///
/// Each 1-D box pass is a running sum in four phases (grow the window without writing, grow while writing,
/// slide, shrink), dividing by the current window size: the exact sequence of float additions and
/// subtractions of Meta's `box1DFloat`. Two rounds of a horizontal then a vertical pass make the tent.
///
/// Faster, with every kept value computed by the very same float operations as the reference:
/// - the horizontal pass runs eight rows at once on a transposed tile (lane r of each vector is row r's sum);
/// - the vertical pass advances every column's running sum together while sweeping rows;
/// - decimation keeps only 64 × 64 samples, so the second round divides and stores only where a sample is
///   taken: its horizontal pass still runs every step of each running sum (exactness needs the whole chain), but
///   writes only the 64 sampled columns, and its vertical pass runs only over those columns.
enum JaroszFilter {
    /// ⌈length / 128⌉: the box window that, applied twice, gives a tent about length/64 wide.
    static func windowSize(_ length: Int) -> Int { (length + 127) / 128 }

    /// The input index that output sample `index` (of 64) takes along an axis of `length`, as the reference's
    /// decimation computes it, in double.
    static func sampleIndex(_ index: Int, length: Int) -> Int { Int((Double(index) + 0.5) * Double(length) / 64) }

    /// For each input position along an axis, the output samples (a contiguous range) taken there.
    static func samplesByPosition(length: Int) -> [Range<Int>] {
        var ranges = [Range<Int>](repeating: 0..<0, count: length)
        for sample in 0..<64 {
            let position = sampleIndex(sample, length: length)
            ranges[position] =
                ranges[position].isEmpty ? sample..<(sample + 1) : ranges[position].lowerBound..<(sample + 1)
        }
        return ranges
    }

    /// Filters `luma` (rows × columns, row-major; overwritten) and writes the 64×64 decimation into `output`.
    /// `scratch` holds at least max(rows × columns, rows × 64) floats.
    static func filterAndDecimate(
        _ luma: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, rows: Int, columns: Int,
        into output: UnsafeMutablePointer<Float>
    ) {
        let rowWindow = windowSize(columns)
        let columnWindow = windowSize(rows)
        let sampledColumns = samplesByPosition(length: columns)
        let sampledRows = samplesByPosition(length: rows)
        var sums = [Float](repeating: 0, count: max(columns, 64))
        sampledColumns.withUnsafeBufferPointer { sampledColumns in
            sampledRows.withUnsafeBufferPointer { sampledRows in
                sums.withUnsafeMutableBufferPointer { sums in
                    // Round one, in full: luma → scratch → luma.
                    horizontalPass(luma, scratch, rows: rows, columns: columns, window: rowWindow) { row in
                        AllPositions(target: scratch + row * columns, stride: columns)
                    }
                    verticalPass(
                        scratch, rows: rows, columns: columns, window: columnWindow, sums: sums.baseAddress!,
                        sink: AllRows(target: luma, columns: columns))
                    // Round two: only sampled columns, then only sampled rows. luma → scratch (rows × 64) → output.
                    horizontalPass(luma, scratch, rows: rows, columns: columns, window: rowWindow) { row in
                        SampledPositions(target: scratch + row * 64, stride: 64, samples: sampledColumns)
                    }
                    verticalPass(
                        scratch, rows: rows, columns: 64, window: columnWindow, sums: sums.baseAddress!,
                        sink: SampledRows(target: output, samples: sampledRows))
                }
            }
        }
    }

    /// The four phases of the reference's `box1DFloat`: grow the window without writing, grow while writing,
    /// slide (add the entering sample, then subtract the leaving one), shrink. Each pass supplies its own
    /// arithmetic; this fixes the order, which is what makes the results bit-exact.
    @inline(__always)
    static func fourPhases(
        length: Int, window: Int, add: (Int) -> Void, subtract: (Int) -> Void,
        emit: (_ position: Int, _ size: Int) -> Void
    ) {
        let half = (window + 2) / 2
        var size = 0
        var read = 0
        var left = 0
        var write = 0
        for _ in 0..<(half - 1) {
            add(read)
            size += 1
            read += 1
        }
        for _ in 0..<(window - half + 1) {
            add(read)
            size += 1
            emit(write, size)
            read += 1
            write += 1
        }
        for _ in 0..<max(0, length - window) {
            add(read)
            subtract(left)
            emit(write, size)
            left += 1
            read += 1
            write += 1
        }
        for _ in 0..<(half - 1) {
            subtract(left)
            size -= 1
            emit(write, size)
            left += 1
            write += 1
        }
    }

    // MARK: Horizontal pass

    /// Where a horizontal pass writes: `emit` gets the output position, the running sums and the window size.
    protocol RowSink {
        func emit(
            _ position: Int, _ sum: SIMD8<Float>, _ size: SIMD8<Float>, into tile: UnsafeMutablePointer<SIMD8<Float>>)
        func emit(_ position: Int, _ sum: Float, _ size: Float, lane: Int)
        /// The first lane's row; lane r's row starts `r × stride` after it.
        var target: UnsafeMutablePointer<Float> { get }
        var stride: Int { get }
        /// How many tile slots hold results.
        var slots: Int { get }
    }

    /// Transposes a tile of results back into the eight rows.
    static func copyOut<Sink: RowSink>(_ tile: UnsafePointer<SIMD8<Float>>, to sink: Sink) {
        for lane in 0..<8 {
            let row = sink.target + lane * sink.stride
            for slot in 0..<sink.slots { row[slot] = tile[slot][lane] }
        }
    }

    /// Writes every position (a full filtered row).
    struct AllPositions: RowSink {
        let target: UnsafeMutablePointer<Float>
        let stride: Int
        var slots: Int { stride }
        func emit(
            _ position: Int, _ sum: SIMD8<Float>, _ size: SIMD8<Float>, into tile: UnsafeMutablePointer<SIMD8<Float>>
        ) {
            tile[position] = sum / size
        }
        func emit(_ position: Int, _ sum: Float, _ size: Float, lane: Int) {
            target[lane * stride + position] = sum / size
        }
    }

    /// Writes only the positions decimation samples, each into its sample slot (0..<64).
    struct SampledPositions: RowSink {
        let target: UnsafeMutablePointer<Float>
        let stride: Int
        let samples: UnsafeBufferPointer<Range<Int>>
        var slots: Int { 64 }
        func emit(
            _ position: Int, _ sum: SIMD8<Float>, _ size: SIMD8<Float>, into tile: UnsafeMutablePointer<SIMD8<Float>>
        ) {
            let range = samples[position]
            if range.isEmpty { return }
            let value = sum / size
            for slot in range { tile[slot] = value }
        }
        func emit(_ position: Int, _ sum: Float, _ size: Float, lane: Int) {
            let range = samples[position]
            if range.isEmpty { return }
            let value = sum / size
            for slot in range { target[lane * stride + slot] = value }
        }
    }

    /// Runs the horizontal box over every row, eight rows at a time where it can.
    static func horizontalPass<Sink: RowSink>(
        _ input: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutablePointer<Float>, rows: Int, columns: Int,
        window: Int, sink: (Int) -> Sink
    ) {
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 2 * max(columns, 64)) { tiles in
            var row = 0
            while row + 8 <= rows {
                boxEightRows(
                    input + row * columns, length: columns, window: window, sink: sink(row), tiles: tiles.baseAddress!)
                row += 8
            }
            while row < rows {
                boxRow(input + row * columns, length: columns, window: window, sink: sink(row))
                row += 1
            }
        }
    }

    /// One row, scalar: the reference's `box1DFloat`.
    @inline(__always)
    static func boxRow<Sink: RowSink>(_ input: UnsafePointer<Float>, length: Int, window: Int, sink: Sink) {
        var sum: Float = 0
        fourPhases(
            length: length, window: window, add: { sum += input[$0] }, subtract: { sum -= input[$0] },
            emit: { sink.emit($0, sum, Float($1), lane: 0) })
    }

    /// Eight consecutive rows at once on a transposed tile: each lane performs exactly ``boxRow``'s operations.
    @inline(never)
    static func boxEightRows<Sink: RowSink>(
        _ input: UnsafePointer<Float>, length: Int, window: Int, sink: Sink, tiles: UnsafeMutablePointer<SIMD8<Float>>
    ) {
        let source = tiles
        let target = tiles + max(length, 64)
        for column in 0..<length {
            source[column] = SIMD8(
                input[column], input[length + column], input[2 * length + column], input[3 * length + column],
                input[4 * length + column], input[5 * length + column], input[6 * length + column],
                input[7 * length + column])
        }
        var sum = SIMD8<Float>(repeating: 0)
        fourPhases(
            length: length, window: window, add: { sum += source[$0] }, subtract: { sum -= source[$0] },
            emit: { sink.emit($0, sum, SIMD8(repeating: Float($1)), into: target) })
        copyOut(target, to: sink)
    }

    // MARK: Vertical pass

    /// Where a vertical pass writes a row of results.
    protocol ColumnSink {
        func emit(_ row: Int, _ sums: UnsafePointer<Float>, columns: Int, size: Int)
    }

    /// Writes every row.
    struct AllRows: ColumnSink {
        let target: UnsafeMutablePointer<Float>
        let columns: Int
        func emit(_ row: Int, _ sums: UnsafePointer<Float>, columns: Int, size: Int) {
            let output = target + row * columns
            let divisor = Float(size)
            for column in 0..<columns { output[column] = sums[column] / divisor }
        }
    }

    /// Writes only sampled rows, into the 64×64 output.
    struct SampledRows: ColumnSink {
        let target: UnsafeMutablePointer<Float>
        let samples: UnsafeBufferPointer<Range<Int>>
        func emit(_ row: Int, _ sums: UnsafePointer<Float>, columns: Int, size: Int) {
            let divisor = Float(size)
            for sample in samples[row] {
                let output = target + sample * 64
                for column in 0..<columns { output[column] = sums[column] / divisor }
            }
        }
    }

    /// The vertical box over every column at once, sweeping rows top to bottom.
    static func verticalPass<Sink: ColumnSink>(
        _ input: UnsafePointer<Float>, rows: Int, columns: Int, window: Int, sums: UnsafeMutablePointer<Float>,
        sink: Sink
    ) {
        for column in 0..<columns { sums[column] = 0 }
        fourPhases(
            length: rows, window: window,
            add: { row in
                let source = input + row * columns
                for column in 0..<columns { sums[column] += source[column] }
            },
            subtract: { row in
                let source = input + row * columns
                for column in 0..<columns { sums[column] -= source[column] }
            },
            emit: { sink.emit($0, sums, columns: columns, size: $1) })
    }
}
