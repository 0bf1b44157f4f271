/// Polls `condition` every 10 ms for up to 5 s: controllers act asynchronously, and a test waits
/// for what they should reach, never for a fixed time.
func eventually(_ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(5)
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
