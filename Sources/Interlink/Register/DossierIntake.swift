/// Where the register stage hands its dossiers on: new versions to plan, and dossiers whose
/// transfers changed before a crash to reconcile. The engine is the intake.
protocol DossierIntake: Sendable {
    /// Plans a dossier version seen for the first time.
    func plan(_ snapshot: DossierSnapshot) async
    /// Reconciles a dossier whose transfers changed.
    func reconcile(_ code: String) async
}
