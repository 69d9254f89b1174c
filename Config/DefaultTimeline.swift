/// The default SSE timeline (`Config/timeline.toml`), embedded in the binary so that
/// `sse-timeline` works with no config file anywhere.
public enum DefaultTimeline {
    /// The name under which the embedded timeline is reported.
    public static let name = "<embedded default timeline>"

    /// The TOML text of `Config/timeline.toml`.
    public static var text: String {
        String(decoding: PackageResources.timeline_toml, as: UTF8.self)
    }
}
