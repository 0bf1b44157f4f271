/// How much work one evaluation may do. Kubernetes bounds rules by estimated and actual cost
/// (cel-go's cost model, 1,000,000 per call); this counts evaluated nodes instead — a coarser
/// measure that still stops a rule from looping over large inputs without end. Shared by the
/// scopes of one evaluation, never between evaluations.
final class StepBudget {
    private var remaining: Int

    init(_ limit: Int) {
        remaining = limit
    }

    func spend() throws(CELError) {
        remaining -= 1
        if remaining < 0 { throw .costLimitExceeded }
    }
}
