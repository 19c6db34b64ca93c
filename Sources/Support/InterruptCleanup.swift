import Dispatch
import Foundation

/// Cleanup that must run when the process is interrupted (Ctrl-C, SIGTERM, SIGHUP) in the middle
/// of something that costs money or leaves state behind, such as a launch.
///
/// A workflow registers a cleanup before it creates a resource and removes it once the resource
/// is safely recorded (or cleaned up on the ordinary error path). On a signal the registered
/// cleanups run newest first, then the process exits with 130 (128 + SIGINT's number, as shells
/// report an interrupted command). Signals are received through Dispatch, not a C handler, so the
/// cleanups may make network calls and spawn processes.
public final class InterruptCleanup: @unchecked Sendable {
    /// The process-wide registry.
    public static let shared = InterruptCleanup()

    private let lock = NSLock()
    private var actions: [(id: Int, run: () -> Void)] = []
    private var nextId = 0
    private var sources: [DispatchSourceSignal] = []
    private var running = false
    private let queue = DispatchQueue(label: "ncaas.interrupt-cleanup")

    /// Where a sentence about the interruption goes (standard error by default).
    public var report: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("ncaas: \($0)\n".utf8)) }

    private init() {}

    /// A registered cleanup; `cancel()` it once it is no longer needed.
    public struct Registration: Sendable {
        fileprivate let id: Int
        fileprivate let owner: InterruptCleanup

        /// Removes the cleanup without running it.
        public func cancel() { owner.remove(id) }
    }

    /// Registers `action` to run if the process is interrupted before the registration is
    /// cancelled. The first registration starts listening for SIGINT, SIGTERM and SIGHUP.
    public func register(_ action: @escaping () -> Void) -> Registration {
        lock.lock()
        defer { lock.unlock() }
        if sources.isEmpty { listen() }
        nextId += 1
        actions.append((nextId, action))
        return Registration(id: nextId, owner: self)
    }

    /// Runs `body` with `cleanup` registered for its duration: on an interruption the cleanup runs
    /// and the process exits; on an ordinary return or throw it is simply removed.
    public func guarding<T>(_ cleanup: @escaping () -> Void, _ body: () throws -> T) rethrows -> T {
        let registration = register(cleanup)
        defer {
            registration.cancel()
            // Interrupted meanwhile: the cleanup thread ends the process with 130 once it is done;
            // this thread must not race it to an exit of its own (a failure, or a success).
            parkIfInterrupted()
        }
        return try body()
    }

    private var drain: (@Sendable () -> Void)?

    /// Makes the next SIGTERM call `action` instead of cleaning up and exiting: a server drains
    /// (takes no more work, exits once what runs has finished). A second SIGTERM, or SIGINT,
    /// cleans up and exits as usual.
    public func drainOnTerminate(_ action: @escaping @Sendable () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        if sources.isEmpty { listen() }
        drain = action
    }

    /// True once a signal has arrived and the cleanups run.
    public var isInterrupted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    /// Blocks the calling thread for good when the process is being interrupted (the cleanup thread
    /// exits the process); returns at once otherwise.
    public func parkIfInterrupted() {
        while isInterrupted { Thread.sleep(forTimeInterval: 3600) }
    }

    private func remove(_ id: Int) {
        lock.lock()
        actions.removeAll { $0.id == id }
        lock.unlock()
    }

    private func listen() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)  // delivered to the dispatch source instead
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in self?.interrupted(by: number) }
            source.resume()
            sources.append(source)
        }
    }

    private func interrupted(by number: Int32) {
        lock.lock()
        if number == SIGTERM, !running, let action = drain {
            drain = nil
            lock.unlock()
            report("terminated: taking no more work, exiting when what runs has finished (SIGTERM again stops it now)")
            action()
            return
        }
        if running { lock.unlock(); return }
        running = true
        let pending = actions.reversed()
        actions.removeAll()
        lock.unlock()
        let name = number == SIGINT ? "interrupted" : (number == SIGTERM ? "terminated" : "hung up")
        if !pending.isEmpty { report("\(name): cleaning up before exiting…") }
        for action in pending { action.run() }
        exit(number == SIGINT ? 130 : 128 + number)
    }
}
