import CSSH2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a remote command ended.
public struct SSHExitStatus: Equatable, Sendable {
    /// The exit status (0 when the command was killed by a signal and sent no status).
    public let code: Int32
    /// The signal that killed the command, without "SIG" ("TERM", "KILL"), if it was killed.
    public let signal: String?

    public init(code: Int32, signal: String? = nil) {
        self.code = code
        self.signal = signal
    }

    /// True if the command exited with status 0.
    public var succeeded: Bool { code == 0 && signal == nil }
}

/// A finished command's collected output.
public struct SSHCommandResult: Equatable, Sendable {
    public let status: SSHExitStatus
    public let stdout: Data
    public let stderr: Data

    /// Standard output decoded as UTF-8 (invalid bytes replaced).
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error decoded as UTF-8 (invalid bytes replaced).
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// What a remote command reads on its standard input.
public enum SSHCommandInput: Sendable {
    /// Nothing: standard input is closed at once (like `ssh -n`).
    case none
    /// These bytes, then end of file.
    case data(Data)
    /// Everything readable from this local file descriptor (a pipe, a file, this process's stdin) until
    /// its end of file. The descriptor is not closed.
    case fileDescriptor(Int32)
}

extension SSHSession {
    /// Runs `command` through the remote user's shell, handing its standard output and standard error
    /// to `stdout` and `stderr` as chunks arrive (before the command ends), and returns how it ended.
    ///
    /// Both streams and the input are serviced in one non-blocking loop, so a command that writes a lot
    /// to either stream, or reads its input slowly, never deadlocks. Keepalives are sent while waiting.
    /// - Parameter timeout: the limit for the whole command; past it the channel is closed and an
    ///   `SSHError` of kind `.timeout` is thrown (the remote process may go on running until it
    ///   notices its closed output). nil: no limit.
    public func exec(
        _ command: String,
        input: SSHCommandInput = .none,
        timeout: Duration? = nil,
        stdout: (Data) -> Void,
        stderr: (Data) -> Void
    ) throws -> SSHExitStatus {
        let operation = "run `\(command)` on \(options.address)"
        let deadline = timeout.map { ContinuousClock.now + $0 }
        func timedOut() -> SSHError {
            SSHError(.timeout, code: LIBSSH2_ERROR_TIMEOUT, operation: operation,
                     message: "it did not finish within \(timeout?.secondsText ?? "the time limit"), so its channel was closed")
        }

        return try withNonBlocking {
            let channel = try SSHChannel(session: self, deadline: deadline, operation: operation)
            var finished = false
            defer {
                // A command that ended closes at once; one still running (a timeout) would hold the close
                // until it ends, so it gets a short grace and is then abandoned.
                channel.free(until: ContinuousClock.now + (finished ? options.operationTimeout : .milliseconds(300)))
            }

            guard try channel.retrying(until: deadline, operation, {
                libssh2_channel_process_startup(channel.pointer, "exec", 4, command, UInt32(command.utf8.count))
            }) != nil else { throw timedOut() }

            var feeder = InputFeeder(input)
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                var progressed = false
                if try feeder.feed(channel: channel.pointer, session: self, operation: operation) { progressed = true }
                for stream in [Int32(0), SSH_EXTENDED_DATA_STDERR] {
                    while true {
                        let count = buffer.withUnsafeMutableBytes {
                            libssh2_channel_read_ex(channel.pointer, stream, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count)
                        }
                        if count == LIBSSH2_ERROR_EAGAIN || count == 0 { break }
                        try check(Int32(clamping: min(count, 0)), session: handle, operation)
                        progressed = true
                        let chunk = Data(buffer[0..<count])
                        if stream == 0 { stdout(chunk) } else { stderr(chunk) }
                    }
                }
                if libssh2_channel_eof(channel.pointer) == 1 { break }
                if !progressed {
                    guard try waitForSocket(until: deadline, extra: feeder.waitingDescriptor) else { throw timedOut() }
                }
            }

            // The server sends the exit status around its end of file; it is certain once the channel is closed.
            guard try channel.retrying(until: deadline, operation, { libssh2_channel_close(channel.pointer) }) != nil,
                  try channel.retrying(until: deadline, operation, { libssh2_channel_wait_closed(channel.pointer) }) != nil
            else { throw timedOut() }
            finished = true
            return SSHExitStatus(code: libssh2_channel_get_exit_status(channel.pointer), signal: exitSignal(channel.pointer))
        }
    }

    /// Runs `command` and collects its output; see `exec(_:input:timeout:stdout:stderr:)`.
    public func exec(_ command: String, input: SSHCommandInput = .none, timeout: Duration? = nil) throws -> SSHCommandResult {
        var out = Data()
        var err = Data()
        let status = try exec(command, input: input, timeout: timeout, stdout: { out.append($0) }, stderr: { err.append($0) })
        return SSHCommandResult(status: status, stdout: out, stderr: err)
    }

    /// The signal name the server reported, if the command was killed by one.
    private func exitSignal(_ channel: OpaquePointer) -> String? {
        var name: UnsafeMutablePointer<CChar>?
        var length = 0
        guard libssh2_channel_get_exit_signal(channel, &name, &length, nil, nil, nil, nil) == 0, let name else { return nil }
        defer { libssh2_free(handle, name) }  // allocated by libssh2 for us
        return length > 0 ? String(cString: name) : nil
    }
}

/// Writes a command's input into its channel without blocking, then sends end of file once.
private struct InputFeeder {
    private var pending: [UInt8] = []
    private var offset = 0
    private var source: Int32?
    private var sourceEnded: Bool
    private var eofSent = false

    init(_ input: SSHCommandInput) {
        switch input {
        case .none:
            sourceEnded = true
        case .data(let data):
            pending = [UInt8](data)
            sourceEnded = true
        case .fileDescriptor(let fd):
            source = fd
            sourceEnded = false
        }
    }

    /// The local descriptor to watch while nothing is pending, if any.
    var waitingDescriptor: Int32? { offset < pending.count || sourceEnded ? nil : source }

    /// Moves what it can; returns whether anything moved.
    mutating func feed(channel: OpaquePointer, session: SSHSession, operation: String) throws -> Bool {
        var moved = false
        if offset == pending.count, !sourceEnded, let source {
            var ready = pollfd(fd: source, events: Int16(POLLIN), revents: 0)
            if poll(&ready, 1, 0) > 0 {
                pending = [UInt8](repeating: 0, count: 64 * 1024)
                let count = read(source, &pending, pending.count)
                if count > 0 {
                    pending.removeSubrange(count...)
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    pending = []
                    sourceEnded = true
                } else {
                    pending = []
                }
                offset = 0
                moved = true
            }
        }
        while offset < pending.count {
            let written = pending[offset...].withUnsafeBytes {
                libssh2_channel_write_ex(channel, 0, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count)
            }
            if written == LIBSSH2_ERROR_EAGAIN { return moved }
            if written < 0 {
                // The command closed its input (or ended) without reading it all: like ssh, drop the rest.
                pending = []
                offset = 0
                sourceEnded = true
                eofSent = true
                return true
            }
            offset += written
            moved = true
        }
        if sourceEnded, !eofSent {
            let code = libssh2_channel_send_eof(channel)
            if code == LIBSSH2_ERROR_EAGAIN { return moved }
            try check(code, session: session.handle, operation)
            eofSent = true
            moved = true
        }
        return moved
    }
}
