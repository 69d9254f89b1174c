import DaemonTesting
import Glibc
import Testing
import Timeline

@testable import Daemon

/// Writes an executable shell script at `path`.
private func script(_ path: String, _ body: String) {
    let text = "#!/bin/sh\n" + body + "\n"
    let file = fopen(path, "w")!
    fputs(text, file)
    fclose(file)
    chmod(path, 0o755)
}

private func contents(_ path: String) -> String {
    guard let file = fopen(path, "r") else { return "" }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes += buffer[..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

private func writeFile(_ path: String, _ text: String, mode: mode_t) {
    let file = fopen(path, "w")!
    fputs(text, file)
    fclose(file)
    chmod(path, mode)
}

private let now = Instant(secondsSinceEpoch: 1_796_597_706)

private func environment(kind: String = "mail", attempt: Int = 1) -> [String: String] {
    var environment = [
        "SSE_DELIVERY_ID": "ilc-2027|2027-06-01|30 days before|board", "SSE_CHANNEL": "board",
        "SSE_CHANNEL_KIND": kind, "SSE_ATTEMPT": String(attempt),
        "SSE_REMINDER_KEY": "ilc-2027|2027-06-01|30 days before", "SSE_MILESTONE_ID": "ilc-2027",
        "SSE_MILESTONE_TITLE": "Conférence internationale du Travail", "SSE_MILESTONE_START": "2027-06-01",
        "SSE_REMINDER": "30 days before", "SSE_PRIORITY": "4",
    ]
    if kind == "mail" { environment["SSE_MAIL_TO"] = "board@example.org, Ana <ana@example.org>" }
    if kind == "apprise" { environment["SSE_APPRISE"] = "phone" }
    return environment
}

@Suite struct ChannelDeliveryTests {
    @Test func mailGoesToSendmailWithTheRecipientsAsArguments() throws {
        let directory = TemporaryDirectory()
        script(directory.file("sendmail"), "printf '%s\\n' \"$@\" >\(directory.path)/args; cat >\(directory.path)/mail")
        var entries: [JournalEntry] = []
        var delivery = ChannelDelivery(environment: environment()) { entries.append($0) }
        delivery.mail = MailSender(program: directory.file("sendmail"))
        #expect(delivery.run(now: now) == 0)
        #expect(contents(directory.file("args")) == "-i\n--\nboard@example.org\nana@example.org\n")
        let mail = contents(directory.file("mail"))
        let id = MailMessage.messageID(forDelivery: "ilc-2027|2027-06-01|30 days before|board")
        #expect(mail.contains("\nMessage-ID: \(id)\n"))
        #expect(mail.contains("\nAuto-Submitted: auto-generated\n"))
        let entry = try #require(entries.first)
        #expect(entries.count == 1)
        #expect(entry["MESSAGE_ID"] == MessageID.deliverySent)
        #expect(entry["CHANNEL"] == "board")
        #expect(entry["ATTEMPT"] == "1")
        #expect(entry["REMINDER_KEY"] == "ilc-2027|2027-06-01|30 days before")
        #expect(entry["DELIVERY_ID"] == "ilc-2027|2027-06-01|30 days before|board")
        #expect(entry["MAIL_MESSAGE_ID"] == id)
        #expect(entry["REASON"] == nil)
    }

    @Test func aFailingMailerGivesItsWordsAndTemporaryFailure() throws {
        let directory = TemporaryDirectory()
        script(
            directory.file("sendmail"),
            "cat >/dev/null; echo 'sendmail: cannot connect to 127.0.0.1:25: Connection refused' >&2; exit 69"
        )
        var entries: [JournalEntry] = []
        var delivery = ChannelDelivery(environment: environment(attempt: 2)) { entries.append($0) }
        delivery.mail = MailSender(program: directory.file("sendmail"))
        #expect(delivery.run(now: now) == 75)
        let entry = try #require(entries.first)
        #expect(entry["MESSAGE_ID"] == MessageID.deliveryFailed)
        #expect(entry["ATTEMPT"] == "2")
        let reason = try #require(entry["REASON"])
        #expect(reason.contains("exit status 69"))
        #expect(reason.contains("Connection refused"))
        #expect(
            entry["MAIL_MESSAGE_ID"] == MailMessage.messageID(forDelivery: "ilc-2027|2027-06-01|30 days before|board")
        )
    }

    @Test func testChannelSendsAsTheUnitWouldAndSaysWhatFailed() throws {
        let directory = TemporaryDirectory()
        script(directory.file("sendmail"), "printf '%s\\n' \"$@\" >\(directory.path)/args; cat >\(directory.path)/mail")
        let board = Channel(name: "board", kind: .mail(["board@example.org"]), language: nil, retryFor: 86_400)
        let sent = ChannelTest.send(
            board, environment: [:], now: now, mail: MailSender(program: directory.file("sendmail")))
        #expect(sent.status == 0)
        #expect(sent.entry["MESSAGE_ID"] == MessageID.deliverySent)
        #expect(contents(directory.file("args")) == "-i\n--\nboard@example.org\n")
        #expect(contents(directory.file("mail")).contains("test of the channel board"))
        #expect(sent.entry["MAIL_MESSAGE_ID"].map { contents(directory.file("mail")).contains($0) } == true)

        // No credential for an Apprise channel: 78 and the file it looked for, as the unit would say.
        let phone = Channel(name: "phone", kind: .apprise("phone"), language: nil, retryFor: 86_400)
        let failed = ChannelTest.send(phone, environment: ["HOME": directory.path, "XDG_CONFIG_HOME": directory.path], now: now)
        #expect(failed.status == 78)
        #expect(failed.entry["MESSAGE_ID"] == MessageID.deliveryFailed)
        #expect(failed.entry["REASON"]?.contains("/phone") == true)
    }

    @Test func aMissingMailerIsATemporaryFailure() throws {
        var entries: [JournalEntry] = []
        var delivery = ChannelDelivery(environment: environment()) { entries.append($0) }
        delivery.mail = MailSender(program: "/nonexistent/sendmail")
        #expect(delivery.run(now: now) == 75)
        #expect(try #require(entries.first?["REASON"]).contains("/nonexistent/sendmail could not be run"))
    }

    @Test func appriseReadsTheURLsFromTheCredentialNotItsArguments() throws {
        let directory = TemporaryDirectory()
        mkdir(directory.file("credentials"), 0o700)
        writeFile(directory.file("credentials/apprise_phone"), "ntfy://secret-token@ntfy.example/topic\n", mode: 0o400)
        script(directory.file("apprise"), "printf '%s\\n' \"$@\" >\(directory.path)/args; cat >\(directory.path)/body")
        var environment = environment(kind: "apprise")
        environment["CREDENTIALS_DIRECTORY"] = directory.file("credentials")
        var entries: [JournalEntry] = []
        var delivery = ChannelDelivery(environment: environment) { entries.append($0) }
        delivery.apprise = AppriseSender(program: directory.file("apprise"))
        #expect(delivery.run(now: now) == 0)
        let arguments = contents(directory.file("args"))
        #expect(
            arguments == "-v\n-n\nwarning\n-t\nConférence internationale du Travail (30 days before)\n--config\n"
                + directory.file("credentials/apprise_phone") + "\n"
        )
        #expect(!arguments.contains("secret-token"))
        #expect(contents(directory.file("body")).contains("When:     2027-06-01 (starts in 176 days)"))
        #expect(entries.first?["MESSAGE_ID"] == MessageID.deliverySent)
        #expect(entries.first?["APPRISE_TYPE"] == "warning")
    }

    @Test func aMissingCredentialIsAConfigurationFailure() throws {
        let directory = TemporaryDirectory()
        var environment = environment(kind: "apprise")
        environment["CREDENTIALS_DIRECTORY"] = directory.path
        var entries: [JournalEntry] = []
        let delivery = ChannelDelivery(environment: environment) { entries.append($0) }
        #expect(delivery.run(now: now) == 78)
        let reason = try #require(entries.first?["REASON"])
        #expect(reason.contains(directory.file("apprise_phone")))
        #expect(reason.contains("/etc/sse-timeline/credentials/phone"))
    }

    @Test func aMalformedEnvironmentIsAConfigurationFailureSaidInTheJournal() throws {
        var environment = environment()
        environment["SSE_CHANNEL_KIND"] = "pigeon"
        var entries: [JournalEntry] = []
        #expect(ChannelDelivery(environment: environment) { entries.append($0) }.run(now: now) == 78)
        #expect(try #require(entries.first?["REASON"]).contains("SSE_CHANNEL_KIND=\"pigeon\""))
        #expect(entries.first?["CHANNEL"] == "board")
    }

    @Test(
        arguments: [
            ("0", "failure"), ("3", "failure"), ("4", "warning"), ("5", "info"), ("6", "info"), (nil, "info"),
        ] as [(String?, String)]
    )
    func prioritiesMapToAppriseTypes(priority: String?, type: String) {
        #expect(AppriseSender.notificationType(priority: priority) == type)
    }
}

@Suite struct CredentialFileTests {
    private func userEnvironment(_ directory: TemporaryDirectory) -> [String: String] {
        mkdir(directory.file("config"), 0o700)
        mkdir(directory.file("config/sse-timeline"), 0o700)
        mkdir(directory.file("config/sse-timeline/credentials"), 0o700)
        return ["XDG_CONFIG_HOME": directory.file("config"), "HOME": "/nonexistent"]
    }

    @Test func theUsersOwnPrivateFileIsUsed() throws {
        let directory = TemporaryDirectory()
        let environment = userEnvironment(directory)
        let path = directory.file("config/sse-timeline/credentials/phone")
        writeFile(path, "json://localhost/\n", mode: 0o600)
        #expect(try CredentialFile.path(of: "phone", environment: environment) == path)
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o620] as [mode_t])
    func aFileOthersMayReadOrChangeIsRefused(mode: mode_t) {
        let directory = TemporaryDirectory()
        let environment = userEnvironment(directory)
        writeFile(directory.file("config/sse-timeline/credentials/phone"), "json://localhost/\n", mode: mode)
        #expect {
            try CredentialFile.path(of: "phone", environment: environment)
        } throws: { error in
            "\(error)".contains("lets group or others read or change it") && "\(error)".contains("chmod 600")
        }
    }

    @Test func aFileOfAnotherUserIsRefused() {
        let directory = TemporaryDirectory()
        let environment = userEnvironment(directory)
        writeFile(directory.file("config/sse-timeline/credentials/phone"), "json://localhost/\n", mode: 0o600)
        // The file is this process's: seen from another UID it is someone else's.
        #expect {
            try CredentialFile.path(of: "phone", environment: environment, uid: geteuid() + 1)
        } throws: { error in
            "\(error)".contains("is owned by UID \(geteuid())")
        }
    }

    @Test func aSymbolicLinkIsRefused() {
        let directory = TemporaryDirectory()
        let environment = userEnvironment(directory)
        writeFile(directory.file("target"), "json://localhost/\n", mode: 0o600)
        symlink(directory.file("target"), directory.file("config/sse-timeline/credentials/phone"))
        #expect(throws: CredentialError.self) { try CredentialFile.path(of: "phone", environment: environment) }
    }

    @Test func aMissingFileSaysWhereToPutIt() {
        let directory = TemporaryDirectory()
        let environment = userEnvironment(directory)
        #expect {
            try CredentialFile.path(of: "phone", environment: environment)
        } throws: { error in
            "\(error)".contains("credentials/phone: No such file or directory; write the secret there")
        }
    }

    @Test func theUserDirectoryFollowsXDGThenHome() {
        #expect(
            CredentialFile.userDirectory(environment: ["HOME": "/home/ana"])
                == "/home/ana/.config/sse-timeline/credentials"
        )
        #expect(
            CredentialFile.userDirectory(environment: ["HOME": "/home/ana", "XDG_CONFIG_HOME": "/cfg"])
                == "/cfg/sse-timeline/credentials"
        )
    }
}
