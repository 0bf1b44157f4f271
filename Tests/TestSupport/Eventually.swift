/// Polls `condition` until it holds or `timeout` passes. Controllers, informers and servers act
/// asynchronously: a test waits for what they should reach, never for a fixed time. The timeout
/// only bounds a failing test.
public func eventually(timeout: Duration = .seconds(20), interval: Duration = .milliseconds(10),
                       _ condition: () async throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
