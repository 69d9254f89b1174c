extension Scheduler {
    /// Drives the scheduler on virtual time: starts it, then jumps `clock` from each deadline it answers to the
    /// next, through `end`, so that every reminder of the window is written as fast as the code can go.
    ///
    /// `clock` must be the environment's clock. The state is saved at the end when the environment has a store.
    ///
    /// - Throws: `SchedulerError` when the timeline cannot be loaded.
    public func replay(on clock: ReplayClock, through end: WallTime) throws(SchedulerError) {
        var deadline = try start()
        while let next = deadline, next <= end {
            clock.move(to: next)
            deadline = advance(to: next)
        }
        stop()
    }
}
