import Foundation

/// Writes a job's certificate to S3: at once where the moment matters (the job's claim at step 1,
/// its end, an interruption), and coalesced while datasets change state, so that a 20-dataset job
/// rewrites it a few times instead of once per status change. Every write puts the whole current
/// text, so a coalesced write is never stale.
final class CertificateWriter: @unchecked Sendable {
    private let write: () -> Void
    private let delay: Double
    private let queue = DispatchQueue(label: "ncaas.certificate")
    private let lock = NSLock()
    private var pending = false

    /// `write` puts the certificate's current text; `delay` is how long changes gather before a write.
    init(delay: Double = 0.25, write: @escaping () -> Void) {
        self.delay = delay
        self.write = write
    }

    /// Writes within `delay` seconds, together with whatever else changes meanwhile.
    func soon() {
        lock.lock()
        let schedule = !pending
        pending = true
        lock.unlock()
        guard schedule else { return }
        queue.asyncAfter(deadline: .now() + delay) { [self] in
            lock.lock(); pending = false; lock.unlock()
            write()
        }
    }

    /// Writes now, after any write already under way.
    func now() {
        queue.sync {
            lock.lock(); pending = false; lock.unlock()
            write()
        }
    }
}
