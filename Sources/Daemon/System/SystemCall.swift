import Glibc
import SystemPackage

/// The one way the daemon calls the system where swift-system has no wrapper: a C call that returns -1 and
/// sets `errno` on failure is retried on `EINTR` here, once for all, and any other failure is thrown as a
/// `SystemCallError` naming the call and its operand.
enum SystemCall {
    /// Runs `body` until it does not fail with `EINTR`; returns its result, or throws its failure.
    @discardableResult
    static func run<Result: BinaryInteger>(
        _ call: String,
        operand: String? = nil,
        _ body: () -> Result
    ) throws(SystemCallError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let number = Glibc.errno
            if number != EINTR {
                throw SystemCallError(call, operand: operand, errno: Errno(rawValue: number))
            }
        }
    }

    /// Checks the result of a libsystemd call, which returns a negative errno on failure.
    @discardableResult
    static func check(_ call: String, operand: String? = nil, _ result: Int32) throws(SystemCallError) -> Int32 {
        guard result >= 0 else {
            throw SystemCallError(call, operand: operand, errno: Errno(rawValue: -result))
        }
        return result
    }

    /// Turns an error thrown by swift-system (always an `Errno`) into a `SystemCallError`.
    static func map(_ error: any Error, _ call: String, operand: String?) -> SystemCallError {
        SystemCallError(call, operand: operand, errno: (error as? Errno) ?? .ioError)
    }
}
