/// The context pointer of a C callback (sd-event's sources, sd-bus's slots): a Swift object handed to C and found
/// again in the callback, without `Unmanaged` written at every call site.
extension UnsafeMutableRawPointer {
    /// A pointer to `object` that holds no reference: the owner of the C registration keeps `object` alive and
    /// ends the registration before releasing it.
    init(unretained object: AnyObject) {
        self = Unmanaged.passUnretained(object).toOpaque()
    }

    /// A pointer to `object` that holds one reference, given back by `release(as:)`: for a registration that
    /// outlives its caller (a reply handler kept by the bus until the reply comes).
    init(retained object: AnyObject) {
        self = Unmanaged.passRetained(object).toOpaque()
    }

    /// The object this pointer was made from.
    func object<Object: AnyObject>(as type: Object.Type) -> Object {
        Unmanaged<Object>.fromOpaque(self).takeUnretainedValue()
    }

    /// Gives back the reference taken by `init(retained:)`.
    func release<Object: AnyObject>(as type: Object.Type) {
        Unmanaged<Object>.fromOpaque(self).release()
    }
}
