import Foundation

/// Runs `body(0..<count)` with every index on its own thread and waits for all of them.
///
/// `DispatchQueue.concurrentPerform` runs as many iterations at once as there are cores, which is
/// right for computing and wrong here: each dataset mostly waits (SSH, S3, its COMMAND), and on a
/// 2-core machine 20 datasets would run two at a time.
enum EachOnItsOwnThread {
    static func run(_ count: Int, _ body: @escaping (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                body(index)
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
    }
}
