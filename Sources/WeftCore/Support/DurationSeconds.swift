extension Duration {
    /// The duration in seconds, as a floating-point number (for rates, logs and benchmark figures).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
