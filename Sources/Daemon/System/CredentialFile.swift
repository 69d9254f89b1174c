import Glibc

/// Where a secret comes from (a channel's Apprise URLs, a feed's password), and the check that it stays secret.
///
/// Under a system unit, systemd loads `/etc/sse-timeline/credentials` with `LoadCredential=PREFIX:...`, so the
/// credential `phone` is `$CREDENTIALS_DIRECTORY/apprise_phone` for the delivery unit (`feed_team` for the
/// fetch unit), readable by that unit alone. A user's
/// instance reads `~/.config/sse-timeline/credentials/phone` (`$XDG_CONFIG_HOME` when set), refused, as ssh
/// refuses a private key, unless it is a regular file owned by that user and not readable or writable by
/// group or others.
public enum CredentialFile {
    /// The prefix of the credentials systemd loads for the system unit (`LoadCredential=apprise:DIR`).
    public static let systemPrefix = "apprise_"

    /// The path of credential `name` for a process with `environment`, running as `uid`, once checked.
    ///
    /// - Throws: ``CredentialError`` saying which file, what is wrong with it and how to fix it.
    /// `prefix` is the one of `LoadCredential=` in the unit that reads it: `apprise_` for deliveries, `feed_`
    /// for `sse-timeline fetch`.
    public static func path(
        of name: String,
        prefix: String = systemPrefix,
        environment: [String: String],
        uid: uid_t = geteuid()
    ) throws(CredentialError) -> String {
        if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty {
            let path = "\(directory)/\(prefix)\(name)"
            guard access(path, R_OK) == 0 else {
                throw CredentialError(
                    path: path,
                    problem:
                        "\(String(cString: strerror(errno))); put the secret in /etc/sse-timeline/credentials/\(name) "
                        + "(mode 0600, owned by root): the unit loads that directory with LoadCredential="
                )
            }
            return path
        }
        let path = userDirectory(environment: environment, uid: uid) + "/" + name
        var status = stat()
        guard lstat(path, &status) == 0 else {
            throw CredentialError(
                path: path,
                problem: "\(String(cString: strerror(errno))); write the secret there (Apprise URLs one a line, "
                    + "or a feed's user:password), then chmod 600 \(path)"
            )
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw CredentialError(path: path, problem: "it is not a regular file (a symbolic link or a directory)")
        }
        guard status.st_uid == uid else {
            throw CredentialError(
                path: path,
                problem: "it is owned by UID \(status.st_uid), not by UID \(uid) who runs the delivery; "
                    + "only the user's own file is trusted"
            )
        }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw CredentialError(
                path: path,
                problem: "its mode \(octal(mode)) lets group or others read or change it; "
                    + "it holds secrets: chmod 600 \(path)"
            )
        }
        guard access(path, R_OK) == 0 else {
            throw CredentialError(path: path, problem: String(cString: strerror(errno)))
        }
        return path
    }

    /// `$XDG_CONFIG_HOME/sse-timeline/credentials`, else `~/.config/sse-timeline/credentials` (`$HOME`, else
    /// the password database's home of `uid`).
    public static func userDirectory(environment: [String: String], uid: uid_t = geteuid()) -> String {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return config + "/sse-timeline/credentials"
        }
        var home = environment["HOME"] ?? ""
        if home.isEmpty, let entry = getpwuid(uid), let directory = entry.pointee.pw_dir {
            home = String(cString: directory)
        }
        return home + "/.config/sse-timeline/credentials"
    }

    private static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// A credential that is missing, unreadable, or not private enough to hold secrets.
public struct CredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// What is wrong, and what to do.
    public var problem: String

    public var description: String { "credential \(path): \(problem)" }

    /// The error for the credential file `path`: what is wrong with it and what to do.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }
}
