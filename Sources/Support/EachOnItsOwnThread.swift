import Foundation

/// Runs `body(0..<count)` with every index on its own thread and waits for all of them.
///
/// `DispatchQueue.concurrentPerform` runs as many iterations at once as there are cores, which is
/// right for computing and wrong for work that mostly waits (SSH, S3, a COMMAND, a child process):
/// on a 2-core machine 20 datasets or 10 seats would go two at a time.
public enum EachOnItsOwnThread {
    /// The work of one thread. Its body (and whatever the body captured: sessions, handles) is
    /// released on the thread before the thread reports done, so nothing of it is freed later on a
    /// dying thread, racing the process's exit and its libraries' cleanup (seen as a segfault).
    private final class Work: @unchecked Sendable {
        var body: ((Int) -> Void)?
        let index: Int
        init(_ body: @escaping (Int) -> Void, _ index: Int) { self.body = body; self.index = index }
    }

    public static func run(_ count: Int, _ body: @escaping (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let work = Work(body, index)
            let thread = Thread {
                work.body?(work.index)
                work.body = nil
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
    }
}
