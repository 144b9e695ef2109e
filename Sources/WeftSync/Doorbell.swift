/// Wakes a waiting pull loop early: `ring()` ends the current (or next) `wait(upTo:)` at once. Rings while
/// nobody waits are remembered as one.
actor Doorbell {
    private var rung = false
    private var waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?
    private var nextID = 0

    /// Ends the current wait, or the next one if nobody waits.
    func ring() {
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume()
        } else {
            rung = true
        }
    }

    /// Returns after `duration`, on a ring, or when the task is cancelled, whichever comes first.
    func wait(upTo duration: Duration) async {
        if rung {
            rung = false
            return
        }
        nextID += 1
        let id = nextID
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiter = (id, continuation)
                Task {
                    try? await Task.sleep(for: duration)
                    self.expire(id)
                }
            }
        } onCancel: {
            Task { await self.expire(id) }
        }
    }

    private func expire(_ id: Int) {
        guard let waiter, waiter.id == id else { return }
        self.waiter = nil
        waiter.continuation.resume()
    }
}
