/// `sse-timeline --version` and the daemon's first entry: the build's version, compiler and libsystemd.
extension BuildInfo {
    /// "sse-timeline 1.2.0+git3.gabc1234 (Swift 6.3.1, libsystemd 252)".
    static var summary: String {
        "sse-timeline \(version) (\(compiler), libsystemd \(libsystemd))"
    }
}
