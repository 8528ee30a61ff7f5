@testable import Interlink
import Testing

/// What each agency answer does to each transfer action: push, receipt follow-up, cancellation.
@Suite("Transfer transitions: every answer, every action")
struct TransferTransitionTests {
    typealias F = TransferFixtures
    static let agency = F.agency("civil-registry", maxAttempts: 3)
    static let now = Timestamp(millisecondsSinceEpoch: 50_000)

    static func state(_ answer: AgencyAnswer, from state: TransferState, attempts: Int = 1) -> TransferState? {
        let transfer = F.record(state: state, attempts: attempts)
        return TransferTransition.after(answer, to: transfer, action: TransferAction(state: state), agency: agency, now: now, jitter: 1)?.update.state
    }

    @Test func pushesCompleteAwaitTheirReceiptOrAreRejected() {
        #expect(Self.state(.completed(receipt: "R", result: ["a": 1]), from: .sending) == .completed)
        #expect(Self.state(.accepted(receipt: "R"), from: .sending) == .accepted)
        #expect(Self.state(.rejected(reasons: []), from: .sending) == .rejected)
        #expect(Self.state(.technical(reason: "HTTP 503", retryAfterMs: nil), from: .sending) == .retrying)
        #expect(Self.state(.technical(reason: "HTTP 503", retryAfterMs: nil), from: .sending, attempts: 3) == .dead, "the budget is spent")
        #expect(Self.state(.fatal(reason: "HTTP 400"), from: .sending) == .dead)
        #expect(Self.state(.handedBack, from: .sending) == .ready)
        let accepted = TransferTransition.after(.accepted(receipt: "R"), to: F.record(state: .sending), action: .push, agency: Self.agency, now: Self.now)
        #expect(accepted?.update.nextAttemptAt == .some(Self.now.adding(milliseconds: 30_000)) && accepted?.update.receipt == "R")
    }

    /// A follow-up that learns nothing new changes nothing: its next look was set when claimed.
    @Test func receiptFollowUpsRecordDecisionsAndOtherwiseWait() {
        #expect(Self.state(.completed(receipt: "R", result: [:]), from: .accepted) == .completed)
        #expect(Self.state(.rejected(reasons: []), from: .accepted) == .rejected)
        #expect(Self.state(.cancelled, from: .accepted) == .cancelled)
        #expect(Self.state(.accepted(receipt: "R"), from: .accepted) == nil)
        #expect(Self.state(.technical(reason: "HTTP 503", retryAfterMs: nil), from: .accepted, attempts: 99) == nil, "never dies of an outage")
        #expect(Self.state(.handedBack, from: .accepted) == nil)
        #expect(Self.state(.fatal(reason: "HTTP 401"), from: .accepted) == .dead)
        var claimed = F.record(state: .accepted)
        claimed.nextAttemptAt = Self.now.adding(milliseconds: 1_000)
        let slowDown = TransferTransition.after(.technical(reason: "HTTP 429", retryAfterMs: 120_000), to: claimed, action: .followReceipt,
                                                agency: Self.agency, now: Self.now)
        #expect(slowDown?.update.state == .accepted && slowDown?.update.nextAttemptAt == .some(Self.now.adding(milliseconds: 120_000)),
                "never asked again earlier than Retry-After allows")
    }

    /// A cancellation is `cancelled` only when the agency confirms it; "already decided" means
    /// the decision is followed; technical failures retry the cancellation, never the push.
    @Test func cancellationsEndOnlyOnTheAgencysWord() {
        #expect(Self.state(.cancelled, from: .cancelling) == .cancelled)
        #expect(Self.state(.alreadyDecided, from: .cancelling) == .accepted)
        #expect(Self.state(.technical(reason: "HTTP 503", retryAfterMs: nil), from: .cancelling) == .cancelling)
        #expect(Self.state(.technical(reason: "HTTP 503", retryAfterMs: nil), from: .cancelling, attempts: 3) == .dead)
        #expect(Self.state(.handedBack, from: .cancelling) == nil)
        #expect(Self.state(.fatal(reason: "gone"), from: .cancelling) == .dead)
        let decided = TransferTransition.after(.alreadyDecided, to: F.record(state: .cancelling), action: .cancelReceipt, agency: Self.agency, now: Self.now)
        #expect(decided?.update.nextAttemptAt == .some(Self.now), "the decision is asked for at once")
        #expect(decided?.message.contains("already decided") == true)
        var followed = F.record(state: .accepted)
        followed.reasons = decided?.update.reasons
        #expect(Withdrawal.withdraw(followed, now: Self.now) == nil, "a decision that stands is never cancelled again")
        let retried = TransferTransition.after(.technical(reason: "HTTP 503", retryAfterMs: 5_000), to: F.record(state: .cancelling),
                                               action: .cancelReceipt, agency: Self.agency, now: Self.now, jitter: 0)
        #expect(retried?.update.nextAttemptAt == .some(Self.now.adding(milliseconds: 5_000)) && retried?.retried == true)
    }

    /// Withdrawing a dossier cancels what was never sent, asks the agency to withdraw what it
    /// accepted, and leaves what is in flight or decided to its answer.
    @Test func withdrawalCancelsUnsentStepsAndWithdrawsReceipts() {
        func withdrawn(_ state: TransferState) -> TransferState? {
            Withdrawal.withdraw(F.record(state: state), now: Self.now)?.0.state
        }
        #expect(withdrawn(.waiting) == .cancelled && withdrawn(.ready) == .cancelled && withdrawn(.retrying) == .cancelled)
        #expect(withdrawn(.accepted) == .cancelling)
        for state in [TransferState.sending, .cancelling, .completed, .rejected, .dead, .cancelled] { #expect(withdrawn(state) == nil) }
        let cancelling = Withdrawal.withdraw(F.record(state: .accepted, attempts: 4), now: Self.now)?.0
        #expect(cancelling?.nextAttemptAt == .some(Self.now) && cancelling?.attempts == 0 && cancelling?.expectedState == .accepted)
    }

    @Test func claimsCountAttemptsAndPushFollowUpsOut() {
        let agency = Self.agency
        let (push, claimedPush) = Dispatcher.claimUpdate(F.record(state: .retrying, attempts: 2), agency: agency, now: Self.now)
        #expect(push.state == .sending && push.expectedState == .retrying && push.attempts == 3 && claimedPush.state == .sending)
        let (follow, claimedFollow) = Dispatcher.claimUpdate(F.record(state: .accepted), agency: agency, now: Self.now)
        #expect(follow.state == .accepted && follow.attempts == nil && claimedFollow.attempts == 1)
        #expect(follow.nextAttemptAt == .some(Self.now.adding(milliseconds: 30_000)))
        let (cancel, claimedCancel) = Dispatcher.claimUpdate(F.record(state: .cancelling, attempts: 0), agency: agency, now: Self.now)
        #expect(cancel.state == .cancelling && cancel.attempts == 1 && claimedCancel.attempts == 1)
        #expect(cancel.nextAttemptAt == .some(Self.now.adding(milliseconds: Int64(agency.endpoint.requestTimeoutMs) + 1_000)))
    }
}
