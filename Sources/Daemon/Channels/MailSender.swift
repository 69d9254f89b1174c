import Timeline

/// Hands a mail to the system's mailer as cron and atd do: `sendmail -i -- RECIPIENT...`, the message on its
/// standard input. postfix, exim, msmtp-mta and nullmailer all install `/usr/sbin/sendmail`.
///
/// The recipients are arguments rather than read from `To:` with `-t`: the envelope is then exactly the
/// channel's list whatever each mailer's header parsing does (exim and postfix differ on `-t` with arguments),
/// and `--` keeps an address from being read as an option. `-i`: a line holding a single `.` is text, not
/// the end of the message.
public struct MailSender: Sendable {
    /// The mailer.
    public var program: String

    /// A sender through `program`.
    public init(program: String = "/usr/sbin/sendmail") {
        self.program = program
    }

    /// Sends `message`: sent when the mailer exited 0 (it has queued the message); otherwise its exit status
    /// and what it wrote are the reason.
    public func send(_ message: MailMessage) -> SendOutcome {
        let arguments = ["-i", "--"] + message.to.map(\.address)
        do {
            return .of(try ProgramRun.run(program, arguments, input: message.bytes()), name: program)
        } catch {
            return .temporaryFailure("\(program) could not be run: \(error) (install a mailer: postfix, exim4, msmtp-mta or nullmailer)")
        }
    }
}
