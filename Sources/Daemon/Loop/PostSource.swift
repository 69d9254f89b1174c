import CSystemd

/// Work done once per wake-up of the loop, after the events of that wake-up were dispatched and before it waits
/// again (`sd_event_add_post`): it never wakes the loop by itself.
///
/// The bus API uses it to send `PropertiesChanged` once for whatever a wake-up changed (a reminder sent, a
/// reload, a snooze), without each handler having to say so.
public final class PostSource: EventSource {
    private let handler: () -> Void

    /// Runs `handler` on `loop` after each wake-up in which another source was dispatched.
    ///
    /// - Throws: `SystemCallError` (`sd_event_add_post`).
    public init(loop: EventLoop, name: String = "post", handler: @escaping () -> Void) throws(SystemCallError) {
        self.handler = handler
        let callback: sd_event_handler_t = { _, context in
            EventSource.dispatch(context, as: PostSource.self) { $0.handler() }
            return 0
        }
        try super.init("sd_event_add_post", name: name) { source, context in
            sd_event_add_post(loop.event, &source, callback, context)
        }
    }
}
